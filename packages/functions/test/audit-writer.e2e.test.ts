import { randomBytes } from 'node:crypto';
import { auditIndexPattern, auditTemplateName, createAuditReader, installAuditIndex } from '@ffc/audit';
import { AuditEvent } from '@ffc/audit/events';
import { ensureEngines } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';
import type { SQSEvent } from 'aws-lambda';
import { createAuditWriterHandler } from '../src';

const stage = `fn${randomBytes(3).toString('hex')}`;

function event(version: number): AuditEvent {
  return {
    type: 'change.published',
    details: { targetServices: ['checkout-api'] },
    stage,
    region: 'eu-west-1',
    flagKey: 'checkout-one-click',
    version,
    actor: `${stage}-validator`,
    occurredAt: new Date().toISOString(),
    correlationId: 'corr-aw',
  };
}

const sqs = (bodies: string[]) => ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) }) as SQSEvent;

describe('audit writer against OpenSearch', () => {
  const client = new Client({ node: ensureEngines(['opensearch']).opensearchUrl });
  const handler = createAuditWriterHandler(() => ({ client, stage, retry: { maxAttempts: 2, baseDelayMs: 10 } }));

  beforeAll(() => installAuditIndex({ client, stage, production: false }));
  afterAll(async () => {
    await client.indices.delete({ index: auditIndexPattern(stage) }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: auditTemplateName(stage) }).catch(() => undefined);
    await client.close();
  });

  test('writes a batch; a replay of the same messages adds nothing', async () => {
    const bodies = [JSON.stringify(event(1)), JSON.stringify(event(2))];
    expect((await handler(sqs(bodies))).batchItemFailures).toEqual([]);
    expect((await handler(sqs(bodies))).batchItemFailures).toEqual([]);
    await client.indices.refresh({ index: auditIndexPattern(stage) });
    expect(await createAuditReader({ client, stage }).timeline('corr-aw')).toHaveLength(2);
  });

  test('malformed and foreign-stage messages are reported as failures, never dropped silently', async () => {
    const response = await handler(
      sqs(['{ not json', JSON.stringify({ ...event(3), stage: 'other' }), JSON.stringify(event(4))]),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
  });

  test('OpenSearch down: every message is reported, so SQS keeps it for a later delivery', async () => {
    const down = createAuditWriterHandler(() => ({
      client: new Client({ node: 'http://127.0.0.1:1', requestTimeout: 500 }),
      stage,
      retry: { maxAttempts: 1, baseDelayMs: 1 },
    }));
    const response = await down(sqs([JSON.stringify(event(5)), JSON.stringify(event(6))]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
  });
});
