import { randomBytes } from 'node:crypto';
import { connectRedis, createFlagCache } from '@ffc/cache';
import { ensureEngines } from '@ffc/tools';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createCacheUpdaterHandler } from '../src';
import { REGION, validChange as baseChange } from './support/fixtures';

const stage = `fn${randomBytes(3).toString('hex')}`;
const prefix = `${stage}-fanout-`;
const validChange = (overrides: Parameters<typeof baseChange>[0] = {}) => baseChange({ stage, ...overrides });

function record(service: string, body: unknown, id = randomBytes(4).toString('hex')): SQSRecord {
  return {
    messageId: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:${prefix}${service}`,
  } as SQSRecord;
}

describe('cache updater against Redis', () => {
  const redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  const cache = createFlagCache({ redis, stage });
  const lines: Array<Record<string, unknown>> = [];
  const handler = createCacheUpdaterHandler(async () => ({
    cache,
    region: REGION,
    queueNamePrefix: prefix,
    appliedLog: { info: (r: object) => lines.push(r as never) },
  }));

  afterAll(async () => {
    await cache.clear();
    redis.disconnect();
  });

  test('applies each message to the service its queue names and logs one flag_applied line per service', async () => {
    const v1 = validChange({ version: 1 });
    const response = await handler({
      Records: [record('checkout-receipt', v1), record('checkout-api', v1)],
    } as SQSEvent);
    expect(response.batchItemFailures).toEqual([]);
    expect((await cache.get('checkout-receipt', v1.flagKey))?.version).toBe(1);
    expect((await cache.get('checkout-api', v1.flagKey))?.version).toBe(1);
    expect(lines.map((l) => [l.event, l.service, l.version, l.outcome, l.region])).toEqual(
      expect.arrayContaining([
        ['flag_applied', 'checkout-receipt', 1, 'applied', REGION],
        ['flag_applied', 'checkout-api', 1, 'applied', REGION],
      ]),
    );
  });

  test('duplicate and out-of-order deliveries never move a version backwards', async () => {
    const v3 = validChange({ version: 3, value: false });
    const v2 = validChange({ version: 2, value: true });
    await handler({
      Records: [record('checkout-receipt', v3), record('checkout-receipt', v2), record('checkout-receipt', v3)],
    } as SQSEvent);
    expect(await cache.get('checkout-receipt', v3.flagKey)).toMatchObject({ version: 3, value: false });
    expect(lines.filter((l) => l.version === 2).map((l) => [l.outcome, l.storedVersion])).toEqual([['stale', 3]]);
  });

  test('a malformed message fails alone; the rest of the batch is applied', async () => {
    const good = record('search-api', validChange({ flagKey: 'search-boost', version: 1 }), 'good');
    const response = await handler({
      Records: [
        record('checkout-receipt', '{ not json', 'bad-json'),
        good,
        record('checkout-receipt', { flagKey: 'x', version: 'one' }, 'bad-version'),
      ],
    } as SQSEvent);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-json', 'bad-version']);
    expect((await cache.get('search-api', 'search-boost'))?.version).toBe(1);
  });

  test('a message from a queue that is not a fan-out queue of this stage is refused, not applied elsewhere', async () => {
    const stray = {
      ...record('checkout-receipt', validChange({ version: 9 }), 'stray'),
      eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:other-audit`,
    };
    const response = await handler({ Records: [stray] } as SQSEvent);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'stray' }]);
  });
});
