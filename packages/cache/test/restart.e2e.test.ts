import { OpenFeature, StandardResolutionReasons } from '@openfeature/server-sdk';
import Redis from 'ioredis';
import {
  CacheUnavailableError,
  createFlagCache,
  createFlagReader,
  FfcOpenFeatureProvider,
  FlagReaderEvent,
  redisOptions,
} from '../src';
import { booleanChange, eventually, randomStage, recordingLogger, serviceIds } from './support/fixtures';
import { startThrowawayRedis, ThrowawayRedis } from './support/redis-server';

// Its own redis-server (never the shared one), persisting every write so a crash loses nothing acknowledged.
let server: ThrowawayRedis;
const stage = randomStage();
const clients: Redis[] = [];

function client(retryDelayMs = 50): Redis {
  const created = new Redis({
    ...redisOptions({ url: `redis://127.0.0.1:${server.port}`, maxRetriesPerRequest: 20 }),
    retryStrategy: () => retryDelayMs,
  });
  created.on('error', () => undefined);
  clients.push(created);
  return created;
}

beforeAll(async () => {
  server = await startThrowawayRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
});

afterAll(async () => {
  await OpenFeature.close();
  clients.forEach((c) => c.disconnect());
  await server.dispose();
});

test('Redis crashing and restarting mid-batch: every batch lands after retries, no version goes backwards', async () => {
  const cache = createFlagCache({ redis: client(), stage });
  const services = serviceIds(156);
  const highest = new Map<string, number>();
  let restarts = 0;
  for (let version = 1; version <= 60; version++) {
    // What the cache-updater does on failure: the queue redelivers the same change; retrying is safe.
    for (let attempt = 1; ; attempt++) {
      try {
        const applying = cache.apply(booleanChange(version, 'crash-check'), services);
        if (version % 20 === 10 && attempt === 1) {
          // Crash while the batch is on the wire, restart shortly after.
          void server.kill().then(() => setTimeout(() => void server.start(), 150));
          restarts++;
        }
        const result = await applying;
        for (const outcome of result.outcomes) {
          expect(outcome.storedVersion).toBeGreaterThanOrEqual(highest.get(outcome.service) ?? 0);
          highest.set(outcome.service, outcome.storedVersion);
        }
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(CacheUnavailableError);
        if (attempt >= 5) throw error;
      }
    }
  }
  expect(restarts).toBe(3);
  for (const service of ['svc-001', 'svc-156']) {
    await expect(cache.get(service, 'crash-check')).resolves.toMatchObject({ version: 60 });
  }
});

test('a reader goes stale while Redis is down, keeps serving, and refreshes what it missed on reconnect', async () => {
  const writer = createFlagCache({ redis: client(), stage });
  await writer.apply(booleanChange(1, 'reconnect-check'), ['checkout']);
  const logger = recordingLogger();
  // A slow reconnect makes the missed write land before the reader is back: only the refresh can deliver it.
  const reader = createFlagReader({ redis: client(1500), stage, service: 'checkout', region: 'r-1', logger });
  const provider = new FfcOpenFeatureProvider(reader);
  await OpenFeature.setProviderAndWait('restart-test', provider);
  const events: FlagReaderEvent['type'][] = [];
  reader.subscribe((event) => events.push(event.type));
  const features = OpenFeature.getClient('restart-test');

  await server.kill();
  await eventually(() => (reader.state === 'stale' ? true : undefined));
  expect(reader.get('reconnect-check')).toMatchObject({ version: 1 });
  await expect(features.getBooleanDetails('reconnect-check', true)).resolves.toMatchObject({
    value: false,
    reason: StandardResolutionReasons.STALE,
  });
  expect(logger.records).toContainEqual(expect.objectContaining({ event: 'flag_reader_stale', service: 'checkout' }));

  await server.start();
  await writer.apply(booleanChange(2, 'reconnect-check'), ['checkout']);
  await eventually(() => (reader.get('reconnect-check')?.version === 2 ? true : undefined), 10_000);
  await eventually(() => (reader.state === 'fresh' ? true : undefined));
  expect(events).toEqual(expect.arrayContaining(['stale', 'changed', 'fresh']));
  await expect(features.getBooleanDetails('reconnect-check', false)).resolves.toMatchObject({
    value: true,
    reason: StandardResolutionReasons.STATIC,
  });
  expect(logger.records).toContainEqual(expect.objectContaining({ event: 'flag_reader_fresh' }));
});

test('a reader started while Redis is down rejects, then becomes fresh once Redis is back', async () => {
  await server.kill();
  const reader = createFlagReader({
    redis: client(200),
    stage,
    service: 'late-starter',
    region: 'r-1',
    logger: recordingLogger(),
  });
  try {
    await expect(reader.start()).rejects.toThrow(CacheUnavailableError);
    expect(reader.state).toBe('stale');
    await server.start();
    await createFlagCache({ redis: client(), stage }).apply(booleanChange(3, 'late-flag'), ['late-starter']);
    await eventually(() => (reader.state === 'fresh' && reader.get('late-flag') ? true : undefined), 10_000);
  } finally {
    await reader.close();
  }
});
