import { ensureEngines } from '@ffc/tools';
import { connectRedis, createFlagCache, FlagCache, InvalidFlagUpdateError, RedisClient } from '../src';
import { booleanChange, randomStage } from './support/fixtures';

/**
 * Last-writer-wins between regions: two replicas can each accept version N of one flag (DynamoDB global
 * tables settle concurrent writes to one item by the later timestamp, and drop the other write:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html). The
 * losing region's caches then hold the losing write at version N; the validator publishes the winning
 * write marked `replaces: <loser's correlation id>`, and only that may replace an entry of the same version.
 */
let redis: RedisClient;
let cache: FlagCache;

beforeAll(async () => {
  const { redisUrl } = ensureEngines(['redis']);
  redis = connectRedis({ url: redisUrl });
  await redis.connect();
  cache = createFlagCache({ redis, stage: randomStage('lww') });
});

afterAll(async () => {
  await cache.clear();
  redis.disconnect();
});

const SERVICES = ['checkout', 'search'];
const loser = { ...booleanChange(2, 'lww-flag'), value: false, correlationId: 'write-in-us-east-2' };
const winner = { ...booleanChange(2, 'lww-flag'), value: true, correlationId: 'write-in-us-east-1' };

async function stored(service: string) {
  const entry = await cache.get(service, 'lww-flag');
  return entry && { version: entry.version, value: entry.value, correlationId: entry.correlationId };
}

describe('same-version replacement (last-writer-wins across regions)', () => {
  beforeEach(async () => {
    await cache.clear();
    await cache.apply({ ...booleanChange(1, 'lww-flag'), correlationId: 'first' }, SERVICES);
    await cache.apply(loser, SERVICES);
  });

  test('the winning write replaces the losing write it names, at the same version', async () => {
    const result = await cache.apply({ ...winner, replaces: loser.correlationId }, SERVICES);
    expect(result.applied).toEqual(SERVICES);
    for (const service of SERVICES) {
      await expect(stored(service)).resolves.toEqual({ version: 2, value: true, correlationId: winner.correlationId });
    }
  });

  test('without `replaces`, a same-version write is stale (a duplicate delivery never overwrites)', async () => {
    const result = await cache.apply(winner, SERVICES);
    expect(result.stale).toEqual(SERVICES);
    await expect(stored('checkout')).resolves.toMatchObject({ value: false, correlationId: loser.correlationId });
  });

  test('a replacement naming another write than the one stored is stale', async () => {
    const result = await cache.apply({ ...winner, replaces: 'some-other-write' }, ['checkout']);
    // The refusal says which write the service holds, so verification can tell the two writes of v2 apart.
    expect(result.outcomes).toEqual([
      { service: 'checkout', outcome: 'stale', storedVersion: 2, storedCorrelationId: loser.correlationId },
    ]);
    await expect(stored('checkout')).resolves.toMatchObject({ correlationId: loser.correlationId });
  });

  test('a late redelivery of the losing write cannot win back, nor can a redelivered replacement flip it', async () => {
    await cache.apply({ ...winner, replaces: loser.correlationId }, SERVICES);
    expect((await cache.apply(loser, SERVICES)).stale).toEqual(SERVICES);
    // Even a losing write dressed as a replacement of the winner is refused: the winner is never named.
    expect((await cache.apply({ ...winner, replaces: loser.correlationId }, SERVICES)).stale).toEqual(SERVICES);
    await expect(stored('search')).resolves.toEqual({ version: 2, value: true, correlationId: winner.correlationId });
  });

  test('the replacement arriving before the losing write (out of order) leaves the winner in place', async () => {
    await cache.clear();
    await cache.apply({ ...booleanChange(1, 'lww-flag'), correlationId: 'first' }, SERVICES);
    expect((await cache.apply({ ...winner, replaces: loser.correlationId }, SERVICES)).applied).toEqual(SERVICES);
    expect((await cache.apply(loser, SERVICES)).stale).toEqual(SERVICES);
    await expect(stored('checkout')).resolves.toMatchObject({ value: true, correlationId: winner.correlationId });
  });

  test('a replacement never lowers a newer version', async () => {
    await cache.apply({ ...booleanChange(3, 'lww-flag'), correlationId: 'third' }, ['checkout']);
    expect((await cache.apply({ ...winner, replaces: loser.correlationId }, SERVICES)).outcomes).toEqual([
      { service: 'checkout', outcome: 'stale', storedVersion: 3 },
      { service: 'search', outcome: 'applied', storedVersion: 2, storedCorrelationId: winner.correlationId },
    ]);
    await expect(stored('checkout')).resolves.toMatchObject({ version: 3 });
  });

  test('an empty correlation id or `replaces` is refused before Redis is called', async () => {
    await expect(cache.apply({ ...winner, replaces: '' }, SERVICES)).rejects.toThrow(InvalidFlagUpdateError);
    await expect(cache.apply({ ...winner, correlationId: '' }, SERVICES)).rejects.toThrow(/correlationId/);
  });
});
