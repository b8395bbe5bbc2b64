import { ensureEngines } from '@ffc/tools';
import {
  connectRedis,
  createFlagCache,
  createFlagReader,
  encodeFlagEntry,
  FlagCache,
  FlagReader,
  RedisClient,
  toFlagEntry,
} from '../src';
import { booleanChange, eventually, randomStage, recordingLogger } from './support/fixtures';

let redis: RedisClient;
let cache: FlagCache;
const readers: FlagReader[] = [];

beforeAll(async () => {
  redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  await redis.connect();
  cache = createFlagCache({ redis, stage: randomStage() });
});

afterAll(async () => {
  await Promise.all(readers.map((reader) => reader.close()));
  await cache.clear();
  redis.disconnect();
});

function readerFor(service: string, logger = recordingLogger(), resyncIntervalMs?: number) {
  const created = createFlagReader({
    redis,
    stage: cache.stage,
    service,
    region: 'test-region-1',
    instanceId: 'i-1',
    logger,
    resyncIntervalMs,
  });
  readers.push(created);
  return { reader: created, logger };
}

test('start loads the service snapshot, logs flag_active and acknowledges each version in Redis', async () => {
  await cache.apply(booleanChange(3, 'preloaded'), ['checkout']);
  const { reader: checkout, logger } = readerFor('checkout');
  await checkout.start();
  expect(checkout.state).toBe('fresh');
  expect(checkout.get('preloaded')).toMatchObject({ version: 3, value: false });
  expect(logger.records).toContainEqual(
    expect.objectContaining({
      event: 'flag_active',
      flagKey: 'preloaded',
      version: 3,
      service: 'checkout',
      region: 'test-region-1',
    }),
  );
  const acks = await eventually(async () => {
    const found = await cache.acknowledgements('preloaded', 3);
    return found.length > 0 ? found : undefined;
  });
  expect(acks).toEqual([expect.objectContaining({ service: 'checkout', region: 'test-region-1', instanceId: 'i-1' })]);
});

test('a change is pushed into memory; reads stay synchronous; other services and stale versions are ignored', async () => {
  const { reader: search, logger } = readerFor('search');
  await search.start();
  const changed = new Promise((resolve) => search.subscribe((event) => event.type === 'changed' && resolve(event)));
  await cache.apply(booleanChange(5, 'pushed'), ['search']);
  await changed;
  expect(search.get('pushed')).toMatchObject({ version: 5 });

  await cache.apply(booleanChange(9, 'pushed'), ['orders']);
  await cache.apply(booleanChange(4, 'pushed'), ['search']);
  // An older entry published by hand (a replayed message) must not move the reader back either.
  await redis.publish(
    cache.keys.serviceChannel('search'),
    JSON.stringify({ ...booleanChange(2, 'pushed'), changedAt: 'x' }),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(search.get('pushed')).toMatchObject({ version: 5 });
  expect(logger.records.filter((r) => r.event === 'flag_active' && r.flagKey === 'pushed')).toHaveLength(1);
});

test('a malformed message is logged and skipped; the reader keeps serving', async () => {
  const { reader: orders, logger } = readerFor('orders');
  await orders.start();
  await redis.publish(cache.keys.serviceChannel('orders'), '{"flagKey":');
  await eventually(() => logger.records.find((r) => r.event === 'flag_message_rejected'));
  await cache.apply(booleanChange(1, 'after-garbage'), ['orders']);
  await eventually(() => orders.get('after-garbage'));
});

describe('a change whose message never arrived (written to the hash without a publish)', () => {
  /** What the apply script writes, minus its PUBLISH: the reader's connection stays up and hears nothing. */
  const writeSilently = (service: string, version: number, flagKey: string) =>
    redis.hset(
      cache.keys.serviceFlags(service),
      `v:${flagKey}`,
      String(version),
      `e:${flagKey}`,
      encodeFlagEntry(toFlagEntry(booleanChange(version, flagKey))),
    );

  test('is picked up by the periodic resync', async () => {
    const { reader: payments, logger } = readerFor('payments', recordingLogger(), 50);
    await payments.start();
    await writeSilently('payments', 6, 'missed');
    await eventually(() => payments.get('missed'));
    expect(payments.get('missed')).toMatchObject({ version: 6 });
    expect(logger.records).toContainEqual(expect.objectContaining({ event: 'flag_active', flagKey: 'missed' }));
  });

  test('stays unseen with the resync turned off (what the interval is for)', async () => {
    const { reader: billing } = readerFor('billing', recordingLogger(), 0);
    await billing.start();
    await writeSilently('billing', 6, 'missed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(billing.get('missed')).toBeUndefined();
  });
});

test('a reader needs a valid service id and a region', () => {
  expect(() => createFlagReader({ redis, stage: cache.stage, service: 'Bad Id', region: 'r' })).toThrow(/service id/);
  const saved = process.env.AWS_REGION;
  delete process.env.AWS_REGION;
  try {
    expect(() => createFlagReader({ redis, stage: cache.stage, service: 'checkout' })).toThrow(/needs a region/);
  } finally {
    if (saved !== undefined) process.env.AWS_REGION = saved;
  }
});

test('last-writer-wins: a reader serving the losing write moves to the winner of the same version, and never back', async () => {
  const loser = { ...booleanChange(2, 'lww-read'), value: false, correlationId: 'write-in-us-east-2' };
  const winner = { ...booleanChange(2, 'lww-read'), value: true, correlationId: 'write-in-us-east-1' };
  await cache.apply({ ...booleanChange(1, 'lww-read'), correlationId: 'first' }, ['payments']);
  await cache.apply(loser, ['payments']);
  // Resyncing every 50 ms: snapshots of the hash keep arriving beside the messages.
  const { reader: payments } = readerFor('payments', recordingLogger(), 50);
  await payments.start();
  expect(payments.get('lww-read')).toMatchObject({ version: 2, value: false });

  const changed = new Promise((resolve) => payments.subscribe((event) => event.type === 'changed' && resolve(event)));
  await cache.apply({ ...winner, replaces: loser.correlationId }, ['payments']);
  await changed;
  expect(payments.get('lww-read')).toMatchObject({ version: 2, value: true, correlationId: winner.correlationId });
  // Its acknowledgement says which write it serves, so verification can tell the winner from the loser.
  const acks = await eventually(async () => {
    const found = (await cache.acknowledgements('lww-read', 2)).filter((a) => a.service === 'payments');
    return found[0]?.correlationId === winner.correlationId ? found : undefined;
  });
  expect(acks).toHaveLength(1);

  // The losing write delivered again (a replayed message, no `replaces`) must not move it back, nor resyncs.
  await redis.publish(cache.keys.serviceChannel('payments'), encodeFlagEntry(toFlagEntry(loser)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(payments.get('lww-read')).toMatchObject({ version: 2, value: true, correlationId: winner.correlationId });
});
