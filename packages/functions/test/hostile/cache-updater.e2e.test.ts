import { connectRedis, createFlagCache } from '@ffc/cache';
import { ensureEngines } from '@ffc/tools';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createCacheUpdaterHandler } from '../../src';
import { REGION, validChange } from '../support/fixtures';
import { hostileStage } from './support/audit-trail';

const stage = hostileStage();
const prefix = `${stage}-fanout-`;
const SERVICE = 'checkout-receipt';

/** The published change as the fan-out delivers it (raw message delivery). */
const message = (flagKey: string, version: number, overrides: Record<string, unknown> = {}) => ({
  ...validChange({ stage, flagKey, version }),
  correlationId: `${flagKey}:${version}`,
  ...overrides,
});

function record(id: string, body: unknown, service = SERVICE): SQSRecord {
  return {
    messageId: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:${prefix}${service}`,
  } as SQSRecord;
}

describe('cache updater on hostile fan-out messages (Redis)', () => {
  const redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  const cache = createFlagCache({ redis, stage });
  const lines: Array<Record<string, unknown>> = [];
  const handler = createCacheUpdaterHandler(async () => ({
    cache,
    region: REGION,
    queueNamePrefix: prefix,
    appliedLog: { info: (line: object) => lines.push(line as Record<string, unknown>) },
  }));
  const deliver = async (records: SQSRecord[]) =>
    (await handler({ Records: records } as SQSEvent)).batchItemFailures.map((f) => f.itemIdentifier).sort();

  afterAll(async () => {
    await cache.clear();
    redis.disconnect();
  });

  // Written as text: JSON.stringify itself runs out of stack on it.
  const deep = JSON.stringify(message('cache-bad', 1, { type: 'json', value: 'DEEP' })).replace(
    '"DEEP"',
    `${'['.repeat(10_000)}1${']'.repeat(10_000)}`,
  );
  const hostile: Array<[string, unknown, string]> = [
    ['not JSON', '{ not json', SERVICE],
    ['JSON null', 'null', SERVICE],
    ['a list', '[]', SERVICE],
    ['the version "0x10"', message('cache-bad', 1, { version: '0x10' }), SERVICE],
    ['the version "16"', message('cache-bad', 1, { version: '16' }), SERVICE],
    ['version 0', message('cache-bad', 1, { version: 0 }), SERVICE],
    ['version -1', message('cache-bad', 1, { version: -1 }), SERVICE],
    ['version 1.5', message('cache-bad', 1, { version: 1.5 }), SERVICE],
    ['version 1e21', message('cache-bad', 1, { version: 1e21 }), SERVICE],
    ['no version', message('cache-bad', 1, { version: undefined }), SERVICE],
    ['a flag key with a path', message('cache-bad', 1, { flagKey: '../cache-bad' }), SERVICE],
    ['a flag key of prototype', message('cache-bad', 1, { flagKey: '__proto__' }), SERVICE],
    ['a value of the wrong type', message('cache-bad', 1, { value: 'yes' }), SERVICE],
    ['an unknown type', message('cache-bad', 1, { type: 'date' }), SERVICE],
    ['a 1 MB value', message('cache-bad', 1, { type: 'string', value: 'x'.repeat(1024 * 1024) }), SERVICE],
    ['a value nested 10,000 deep', deep, SERVICE],
    ['another stage', message('cache-bad', 1, { stage: 'prod' }), SERVICE],
    ['no stage', message('cache-bad', 1, { stage: undefined }), SERVICE],
    ['an unknown kind', message('cache-bad', 1, { kind: { $gt: '' } }), SERVICE],
    ['a queue that is not a fan-out queue of the stage', message('cache-bad', 1), 'CHECKOUT RECEIPT'],
  ];

  test.each(hostile)('a message with %s fails alone; the good ones around it are applied', async (_, body, service) => {
    const before = lines.length;
    const failed = await deliver([
      record('good-a', message('cache-good-a', 1)),
      record('bad', body, service),
      record('good-b', message('cache-good-b', 1)),
    ]);
    expect(failed).toEqual(['bad']);
    expect(lines.slice(before).map((l) => [l.flagKey, l.version])).toEqual(
      expect.arrayContaining([
        ['cache-good-a', 1],
        ['cache-good-b', 1],
      ]),
    );
    expect(lines.length).toBe(before + 2);
  });

  test('nothing was written for the hostile messages; each good version was applied exactly once', async () => {
    expect(await cache.get(SERVICE, 'cache-bad')).toBeUndefined();
    expect(Object.keys(await cache.snapshot(SERVICE)).sort()).toEqual(['cache-good-a', 'cache-good-b']);
    const appliedOnce = lines.filter((l) => l.outcome === 'applied').map((l) => l.flagKey);
    expect(appliedOnce.sort()).toEqual(['cache-good-a', 'cache-good-b']);
  });

  test('duplicate and out-of-order messages in one batch (applied in parallel) never move a version backwards', async () => {
    const versions = [3, 1, 5, 2, 5, 4, 1, 5];
    const failed = await deliver(
      versions.map((v, i) => record(`v${i}`, message('cache-order', v, { value: v % 2 === 0 }))),
    );
    expect(failed).toEqual([]);
    expect(await cache.get(SERVICE, 'cache-order')).toMatchObject({ version: 5, value: false });
    expect(lines.filter((l) => l.flagKey === 'cache-order' && l.version === 5 && l.outcome === 'applied')).toHaveLength(
      1,
    );
    // A late, older message afterwards is stale.
    expect(await deliver([record('late', message('cache-order', 2))])).toEqual([]);
    expect(await cache.get(SERVICE, 'cache-order')).toMatchObject({ version: 5 });
  });

  test('a batch of nothing but hostile messages fails message by message, never as a whole', async () => {
    const failed = await deliver(hostile.map(([, body, service], i) => record(`h${i}`, body, service)));
    expect(failed).toEqual(hostile.map((_, i) => `h${i}`).sort());
    expect(await cache.get(SERVICE, 'cache-bad')).toBeUndefined();
  });
});
