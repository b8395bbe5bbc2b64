import { ensureEngines } from '@ffc/tools';
import {
  CacheUnavailableError,
  connectRedis,
  CorruptEntryError,
  createFlagCache,
  FlagCache,
  FlagValueTooLargeError,
  InvalidFlagUpdateError,
  InvalidServiceIdError,
  RedisClient,
} from '../src';
import { booleanChange, eventually, randomStage, serviceIds, shuffled } from './support/fixtures';

let redisUrl: string;
let redis: RedisClient;
let cache: FlagCache;

beforeAll(async () => {
  ({ redisUrl } = ensureEngines(['redis']));
  redis = connectRedis({ url: redisUrl });
  await redis.connect();
  cache = createFlagCache({ redis, stage: randomStage() });
});

afterAll(async () => {
  await cache.clear();
  redis.disconnect();
});

describe('apply, get and snapshot', () => {
  test('writes one change to every listed service and reads it back', async () => {
    const services = ['checkout', 'payments-api', 'search'];
    const result = await cache.apply(
      { flagKey: 'new-search', version: 4, type: 'json', value: { limit: 20 } },
      services,
    );
    expect(result).toMatchObject({ flagKey: 'new-search', version: 4, applied: services, stale: [] });
    expect(result.outcomes).toEqual(services.map((service) => ({ service, outcome: 'applied', storedVersion: 4 })));
    await expect(cache.get('payments-api', 'new-search')).resolves.toMatchObject({ version: 4, value: { limit: 20 } });
    await expect(cache.get('payments-api', 'missing-flag')).resolves.toBeUndefined();
    await expect(cache.snapshot('search')).resolves.toEqual({ 'new-search': expect.objectContaining({ version: 4 }) });
    await expect(cache.snapshot('unknown-service')).resolves.toEqual({});
  });

  test('an older or equal version is skipped as stale, and says which version is stored', async () => {
    await cache.apply(booleanChange(5, 'stale-check'), ['checkout', 'search']);
    await cache.apply(booleanChange(2, 'stale-check'), ['orders']);
    const result = await cache.apply(booleanChange(3, 'stale-check'), ['checkout', 'orders', 'search']);
    expect(result.applied).toEqual(['orders']);
    expect(result.stale).toEqual(['checkout', 'search']);
    expect(result.outcomes).toContainEqual({ service: 'checkout', outcome: 'stale', storedVersion: 5 });
    const duplicate = await cache.apply(booleanChange(5, 'stale-check'), ['checkout']);
    expect(duplicate.stale).toEqual(['checkout']);
    await expect(cache.get('checkout', 'stale-check')).resolves.toMatchObject({ version: 5, value: false });
  });

  test('a service listed twice is written once and reported once', async () => {
    const result = await cache.apply(booleanChange(1, 'dedupe-check'), ['checkout', 'checkout']);
    expect(result.outcomes).toEqual([{ service: 'checkout', outcome: 'applied', storedVersion: 1 }]);
  });

  test('all 156 services of a region in one call', async () => {
    const services = serviceIds(156);
    const result = await cache.apply(booleanChange(9, 'region-wide'), services);
    expect(result.applied).toHaveLength(156);
    await expect(cache.get('svc-156', 'region-wide')).resolves.toMatchObject({ version: 9 });
  });

  test('an applied change is published on each service channel; a stale one is not', async () => {
    const subscriber = redis.duplicate();
    const messages: string[] = [];
    subscriber.on('message', (_channel, message) => messages.push(message));
    await subscriber.subscribe(cache.keys.serviceChannel('checkout'));
    try {
      await cache.apply(booleanChange(7, 'publish-check'), ['checkout', 'search']);
      await cache.apply(booleanChange(6, 'publish-check'), ['checkout']);
      await cache.apply(booleanChange(8, 'publish-check'), ['search']);
      await eventually(() => (messages.length >= 1 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(messages.map((message) => JSON.parse(message).version)).toEqual([7]);
    } finally {
      subscriber.disconnect();
    }
  });
});

describe('monotonic versions', () => {
  test('shuffled and duplicated deliveries end on the highest version, and no result ever goes backwards', async () => {
    const services = serviceIds(20);
    const deliveries = shuffled(
      Array.from({ length: 40 }, (_, i) => i + 1).flatMap((version) => Array(1 + (version % 3)).fill(version)),
      42,
    );
    const highestSeen = new Map<string, number>();
    const appliedPerVersion = new Map<number, number>();
    for (const version of deliveries) {
      const result = await cache.apply(booleanChange(version, 'shuffled'), services);
      for (const outcome of result.outcomes) {
        expect(outcome.storedVersion).toBeGreaterThanOrEqual(highestSeen.get(outcome.service) ?? 0);
        expect(outcome.storedVersion).toBeGreaterThanOrEqual(version);
        highestSeen.set(outcome.service, outcome.storedVersion);
      }
      appliedPerVersion.set(version, (appliedPerVersion.get(version) ?? 0) + result.applied.length);
    }
    // A duplicate is never applied twice.
    for (const count of appliedPerVersion.values()) expect(count).toBeLessThanOrEqual(services.length);
    for (const service of services) {
      await expect(cache.get(service, 'shuffled')).resolves.toMatchObject({ version: 40, value: true });
    }
  });

  test('concurrent writers on separate connections: each version applies at most once per service, the highest wins', async () => {
    const writers = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const client = connectRedis({ url: redisUrl });
        await client.connect();
        return { client, cache: createFlagCache({ redis: client, stage: cache.stage }) };
      }),
    );
    const services = serviceIds(30);
    try {
      const results = await Promise.all(
        writers.map((writer, w) =>
          Promise.all(
            shuffled(
              Array.from({ length: 25 }, (_, i) => i + 1),
              w + 1,
            ).map((version) => writer.cache.apply(booleanChange(version, 'concurrent'), services)),
          ),
        ),
      );
      const applied = new Map<string, number>();
      for (const result of results.flat()) {
        for (const service of result.applied) {
          const key = `${service}@${result.version}`;
          applied.set(key, (applied.get(key) ?? 0) + 1);
        }
      }
      expect(Math.max(...applied.values())).toBe(1);
      const snapshot = await cache.snapshot('svc-030');
      expect(snapshot.concurrent.version).toBe(25);
    } finally {
      writers.forEach((writer) => writer.client.disconnect());
    }
  });
});

describe('bad input', () => {
  test('an invalid service id fails the whole batch before anything is written', async () => {
    await expect(cache.apply(booleanChange(1, 'bad-service'), ['checkout', 'Not A Service'])).rejects.toThrow(
      InvalidServiceIdError,
    );
    await expect(cache.get('checkout', 'bad-service')).resolves.toBeUndefined();
  });

  test('a non-numeric version, an oversize value and a foreign stage are refused', async () => {
    await expect(
      cache.apply({ flagKey: 'bad-version', version: '3' as never, type: 'boolean', value: true }, ['checkout']),
    ).rejects.toThrow(InvalidFlagUpdateError);
    await expect(
      cache.apply({ flagKey: 'big-value', version: 1, type: 'string', value: 'x'.repeat(270_000) }, ['checkout']),
    ).rejects.toThrow(FlagValueTooLargeError);
    await expect(cache.apply({ ...booleanChange(1, 'other-stage'), stage: 'live' }, ['checkout'])).rejects.toThrow(
      /does not match this cache's stage/,
    );
    await expect(cache.get('checkout', 'Bad Key')).rejects.toThrow(InvalidFlagUpdateError);
  });

  test('an entry not written by this package is reported as corrupt', async () => {
    await redis.hset(cache.keys.serviceFlags('corrupted'), 'v:garbled', '1', 'e:garbled', '{not json');
    await expect(cache.get('corrupted', 'garbled')).rejects.toThrow(CorruptEntryError);
    await expect(cache.snapshot('corrupted')).rejects.toThrow(/re-apply the flag's current version/);
  });

  test('an empty service list is a no-op without a round trip', async () => {
    await expect(cache.apply(booleanChange(1, 'nobody'), [])).resolves.toMatchObject({ applied: [], stale: [] });
  });

  test('a Redis that is down gives CacheUnavailableError, which says the call is safe to retry', async () => {
    const down = connectRedis({ url: 'redis://127.0.0.1:1', maxRetriesPerRequest: 0, connectTimeoutMs: 500 });
    down.on('error', () => undefined);
    const unreachable = createFlagCache({ redis: down, stage: cache.stage });
    try {
      await expect(unreachable.apply(booleanChange(1, 'down'), ['checkout'])).rejects.toThrow(CacheUnavailableError);
      await expect(unreachable.snapshot('checkout')).rejects.toThrow(/safe to retry/);
    } finally {
      down.disconnect();
    }
  });
});

test('clear removes every key of the stage and nothing else', async () => {
  const other = createFlagCache({ redis, stage: randomStage() });
  const mine = createFlagCache({ redis, stage: randomStage() });
  await other.apply(booleanChange(1, 'kept-flag'), ['checkout']);
  await mine.apply(booleanChange(1, 'gone-flag'), ['checkout', 'search']);
  await expect(mine.clear()).resolves.toBe(2);
  await expect(mine.snapshot('checkout')).resolves.toEqual({});
  await expect(other.get('checkout', 'kept-flag')).resolves.toMatchObject({ version: 1 });
  await other.clear();
});
