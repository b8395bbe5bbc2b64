import { randomBytes } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AuditRecord, auditIndexPattern, auditTemplateName, createAuditReader, installAuditIndex } from '@ffc/audit';
import { ensureEngines } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';
import type { SQSEvent } from 'aws-lambda';
import { AuditSink, createAuditWriterHandler, createSqsAuditSink } from '../../../src';

/** A stage of its own per test file: its audit indices are created and deleted with it. */
export function hostileStage(): string {
  return `hx${randomBytes(3).toString('hex')}`;
}

export interface AuditTrail {
  /**
   * The producers' sink as deployed (createSqsAuditSink: validates every event with @ffc/audit) in front of
   * the real audit writer and OpenSearch, with the queue in between replaced by a direct hand-over.
   */
  readonly sink: AuditSink;
  /** The next `count` hand-overs fail as an unreachable queue would, before anything is sent. */
  failNext(count?: number): void;
  /** The flag's events as OpenSearch holds them (one document per event id), oldest first. */
  history(flagKey: string): Promise<AuditRecord[]>;
  /** `type` for each of the flag's events, oldest first. */
  types(flagKey: string): Promise<string[]>;
}

export function useAuditTrail(stage: string): () => AuditTrail {
  const client = new Client({ node: ensureEngines(['opensearch']).opensearchUrl });
  const writer = createAuditWriterHandler(() => ({ client, stage, retry: { maxAttempts: 2, baseDelayMs: 10 } }));
  let failures = 0;
  const queue = {
    send: async (command: { input: { Entries: { Id: string; MessageBody: string }[] } }) => {
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('audit queue unreachable (injected)'), { name: 'ServiceUnavailable' });
      }
      const delivery = {
        Records: command.input.Entries.map((entry) => ({ messageId: entry.Id, body: entry.MessageBody })),
      } as SQSEvent;
      const { batchItemFailures } = await writer(delivery);
      return {
        Failed: batchItemFailures.map((f) => ({ Id: f.itemIdentifier, Code: 'NotWritten', Message: 'see log' })),
      };
    },
  };
  const sink = createSqsAuditSink(queue as unknown as SQSClient, 'https://sqs.local/audit', stage);
  const reader = createAuditReader({ client, stage });
  const history = async (flagKey: string) => {
    await client.indices.refresh({ index: auditIndexPattern(stage), ignore_unavailable: true });
    return (await reader.history(flagKey, { limit: 1000 })).reverse();
  };
  const trail: AuditTrail = {
    sink,
    failNext: (count = 1) => void (failures = count),
    history,
    types: async (flagKey) => (await history(flagKey)).map((record) => record.type),
  };

  beforeAll(() => installAuditIndex({ client, stage, production: false }), 60_000);
  afterAll(async () => {
    await client.indices.delete({ index: auditIndexPattern(stage) }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: auditTemplateName(stage) }).catch(() => undefined);
    await client.close();
  });
  return () => trail;
}
