import { auditIndexPattern, auditTemplateName, createAuditReader, installAuditIndex } from '@ffc/audit';
import { AuditEvent } from '@ffc/audit/events';
import { ensureEngines } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';
import type { SQSEvent } from 'aws-lambda';
import { createAuditWriterHandler } from '../../src';
import { hostileStage } from './support/audit-trail';

const stage = hostileStage();

function event(flagKey: string, version: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const published: AuditEvent = {
    type: 'change.published',
    details: { targetServices: ['checkout-api'] },
    stage,
    region: 'eu-west-1',
    flagKey,
    version,
    actor: 'ffc-validator',
    occurredAt: '2026-12-01T10:00:00Z',
    correlationId: `${flagKey}:${version}`,
  };
  return { ...published, ...overrides };
}

const sqs = (bodies: ReadonlyArray<readonly [string, string]>) =>
  ({ Records: bodies.map(([messageId, body]) => ({ messageId, body })) }) as SQSEvent;

describe('audit writer on hostile queue messages (OpenSearch)', () => {
  const client = new Client({ node: ensureEngines(['opensearch']).opensearchUrl });
  const handler = createAuditWriterHandler(() => ({ client, stage, retry: { maxAttempts: 2, baseDelayMs: 10 } }));
  const reader = createAuditReader({ client, stage });
  const stored = async (flagKey: string) => {
    await client.indices.refresh({ index: auditIndexPattern(stage), ignore_unavailable: true });
    return reader.history(flagKey, { limit: 1000 });
  };

  beforeAll(() => installAuditIndex({ client, stage, production: false }), 60_000);
  afterAll(async () => {
    await client.indices.delete({ index: auditIndexPattern(stage) }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: auditTemplateName(stage) }).catch(() => undefined);
    await client.close();
  });

  let nested: unknown = 'bottom';
  for (let depth = 0; depth < 200; depth++) nested = { deeper: nested };
  const hostile: Array<[string, string]> = [
    ['not JSON', '{ not json'],
    ['JSON null', 'null'],
    ['a list', '[]'],
    ['an unknown type', JSON.stringify(event('audit-bad', 1, { type: 'change.deleted' }))],
    ['the version "0x10"', JSON.stringify(event('audit-bad', 1, { version: '0x10' }))],
    ['version -1', JSON.stringify(event('audit-bad', 1, { version: -1 }))],
    ['version 1.5', JSON.stringify(event('audit-bad', 1, { version: 1.5 }))],
    ['a flag key with a control character', JSON.stringify(event('audit-bad', 1, { flagKey: 'audit-bad\u0000' }))],
    ['a flag key of 300 characters', JSON.stringify(event('audit-bad', 1, { flagKey: 'a'.repeat(300) }))],
    ['a correlationId with an @', JSON.stringify(event('audit-bad', 1, { correlationId: 'audit@1' }))],
    ['no correlationId', JSON.stringify(event('audit-bad', 1, { correlationId: undefined }))],
    ['an unknown field', JSON.stringify(event('audit-bad', 1, { script: 'ctx._source.x = 1' }))],
    ['a time without a zone', JSON.stringify(event('audit-bad', 1, { occurredAt: '2026-12-01T10:00:00' }))],
    ['another stage', JSON.stringify(event('audit-bad', 1, { stage: 'prod' }))],
    ['details of the wrong type', JSON.stringify(event('audit-bad', 1, { details: { targetServices: 'all' } }))],
    [
      'a value over the 256 KiB queue limit',
      JSON.stringify(
        event('audit-bad', 1, {
          type: 'change.requested',
          details: { value: 'x'.repeat(300 * 1024) },
        }),
      ),
    ],
  ];

  test.each(hostile)('a message with %s fails alone; the good ones around it are written', async (_, body) => {
    const response = await handler(
      sqs([
        ['good-a', JSON.stringify(event('audit-good', 1))],
        ['bad', body],
        ['good-b', JSON.stringify(event('audit-good', 2))],
      ]),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
  });

  test('each good event is held once however often it was delivered; nothing of the hostile ones', async () => {
    expect((await stored('audit-good')).map((e) => e.version).sort()).toEqual([1, 2]);
    expect(await stored('audit-bad')).toEqual([]);
  });

  test('a requested value nested 200 deep is stored as given (never indexed), once', async () => {
    const body = JSON.stringify(event('audit-deep', 1, { type: 'change.requested', details: { value: nested } }));
    expect((await handler(sqs([['deep', body]]))).batchItemFailures).toEqual([]);
    expect((await handler(sqs([['deep-again', body]]))).batchItemFailures).toEqual([]);
    const [requested, ...rest] = await stored('audit-deep');
    expect(rest).toEqual([]);
    expect(requested.details).toEqual({ value: nested });
  });

  test('duplicates in one batch and out-of-order versions: one document per event, all acknowledged', async () => {
    const bodies = [3, 1, 3, 2, 1].map(
      (version, i) => [`d${i}`, JSON.stringify(event('audit-order', version))] as const,
    );
    expect((await handler(sqs(bodies))).batchItemFailures).toEqual([]);
    expect((await stored('audit-order')).map((e) => e.version).sort()).toEqual([1, 2, 3]);
  });

  test('a batch of nothing but hostile messages is reported message by message', async () => {
    const response = await handler(sqs(hostile.map(([, body], i) => [`h${i}`, body] as const)));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(hostile.map((_, i) => `h${i}`));
  });
});
