import Redis from 'ioredis';
import { connectRedis, createFlagCache, createFlagReader, RedisClient } from '../src';
import { booleanChange, eventually, randomStage, recordingLogger, serviceIds } from './support/fixtures';
import { startThrowawayRedis, ThrowawayRedis } from './support/redis-server';

// Cluster mode enabled, on one node that owns every slot: Redis still refuses scripts whose keys span slots.
let server: ThrowawayRedis;
let admin: Redis;
let cluster: RedisClient;
const stage = randomStage();

beforeAll(async () => {
  server = await startThrowawayRedis([
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-announce-ip',
    '127.0.0.1',
  ]);
  admin = new Redis({ host: '127.0.0.1', port: server.port });
  await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  await eventually(
    async () => ((await admin.call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok') || undefined,
  );
  cluster = connectRedis({ url: `redis://127.0.0.1:${server.port}`, cluster: true });
  await cluster.connect();
});

afterAll(async () => {
  cluster.disconnect();
  admin.disconnect();
  await server.dispose();
});

test('without a shared hash tag, one script over many services is refused (CROSSSLOT)', async () => {
  await expect(admin.eval('return 1', 2, 'ffc:live:flags:checkout', 'ffc:live:flags:search')).rejects.toThrow(
    /CROSSSLOT|slot/i,
  );
});

test('every key of a stage hashes to one slot, so a change to all 156 services is one call', async () => {
  const cache = createFlagCache({ redis: cluster, stage });
  const slots = new Set(
    await Promise.all(
      ['svc-001', 'svc-156'].map((service) => admin.call('CLUSTER', 'KEYSLOT', cache.keys.serviceFlags(service))),
    ),
  );
  slots.add(await admin.call('CLUSTER', 'KEYSLOT', cache.keys.acknowledgements('any-flag', 1)));
  expect(slots.size).toBe(1);
  const result = await cache.apply(booleanChange(1, 'cluster-check'), serviceIds(156));
  expect(result.applied).toHaveLength(156);
  await expect(cache.get('svc-077', 'cluster-check')).resolves.toMatchObject({ version: 1 });
  await expect(cache.clear()).resolves.toBe(156);
});

test('a reader on the cluster client gets pushes and acknowledges', async () => {
  const cache = createFlagCache({ redis: cluster, stage });
  const reader = createFlagReader({
    redis: cluster,
    stage,
    service: 'checkout',
    region: 'r-1',
    logger: recordingLogger(),
  });
  try {
    await reader.start();
    await cache.apply(booleanChange(2, 'cluster-push'), ['checkout']);
    await eventually(() => (reader.get('cluster-push')?.version === 2 ? true : undefined));
    await eventually(async () => ((await cache.acknowledgements('cluster-push', 2)).length === 1 ? true : undefined));
  } finally {
    await reader.close();
  }
});
