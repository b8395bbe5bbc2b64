import { randomBytes } from 'node:crypto';
import { FlagReader, RedisClient, connectRedis, createFlagCache, createFlagReader } from '@ffc/cache';
import { ensureEngines } from '@ffc/tools';
import { RedisRole, redisAccessStrings } from '../../src';

/**
 * The synthesised access strings applied to a real Redis (7, as ElastiCache 7.1 runs) with `ACL SETUSER`,
 * then the @ffc/cache code each role runs in production: what it needs works, the rest is NOPERM.
 */
describe('the access strings against Redis ACLs', () => {
  const { redisUrl } = ensureEngines(['redis']);
  const stage = `rbac-${randomBytes(3).toString('hex')}`;
  const access = redisAccessStrings(stage);
  const admin = connectRedis({ url: redisUrl });
  const clients: RedisClient[] = [];
  const readers: FlagReader[] = [];
  const users: string[] = [];
  const quiet = { info: () => undefined, warn: () => undefined };
  const change = { flagKey: 'new-checkout', version: 3, type: 'boolean' as const, value: true };

  async function connectAs(role: RedisRole): Promise<RedisClient> {
    const userName = `${stage}-${role.toLowerCase()}`;
    const password = randomBytes(16).toString('hex');
    await admin.call('ACL', 'SETUSER', userName, 'reset', ...access[role].split(' '), `>${password}`);
    users.push(userName);
    const client = connectRedis({ url: redisUrl, username: userName, password });
    clients.push(client);
    return client;
  }

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.close()));
    for (const client of clients) client.disconnect();
    await createFlagCache({ redis: admin, stage }).clear();
    for (const user of users) await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
  });

  test('the updater applies a change (the apply script) and the reader gets it, serves it and acknowledges it; the checker reads the acknowledgement', async () => {
    const updater = createFlagCache({ redis: await connectAs('cacheUpdater'), stage });
    const reader = createFlagReader({
      redis: await connectAs('readers'),
      stage,
      service: 'checkout-api',
      region: 'eu-west-1',
      instanceId: 'i-1',
      logger: quiet,
    });
    readers.push(reader);
    await reader.start();
    const served = new Promise<number>((resolve) =>
      reader.subscribe((event) => event.type === 'changed' && resolve(event.entries[0].version)),
    );
    await expect(updater.apply(change, ['checkout-api'])).resolves.toMatchObject({ applied: ['checkout-api'] });
    await expect(served).resolves.toBe(3);

    const checker = createFlagCache({ redis: await connectAs('consistencyChecker'), stage });
    let acknowledged: unknown[] = [];
    for (let tries = 0; acknowledged.length === 0 && tries < 100; tries++) {
      acknowledged = await checker.acknowledgements('new-checkout', 3);
      if (acknowledged.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(acknowledged).toEqual([expect.objectContaining({ service: 'checkout-api', instanceId: 'i-1', version: 3 })]);
    await expect(checker.get('checkout-api', 'new-checkout')).resolves.toMatchObject({ version: 3 });
  });

  test('readers cannot write entries, run scripts or publish', async () => {
    const reader = await connectAs('readers');
    const flags = `ffc:{${stage}}:flags:checkout-api`;
    await expect(reader.hset(flags, 'v:new-checkout', '99')).rejects.toThrow(/NOPERM/);
    await expect(reader.eval('return 1', 0)).rejects.toThrow(/NOPERM/);
    await expect(reader.publish(`ffc:{${stage}}:changed:checkout-api`, '{}')).rejects.toThrow(/NOPERM/);
  });

  test('the checker only reads; the updater reads no acknowledgements', async () => {
    const checker = await connectAs('consistencyChecker');
    await expect(checker.hset(`ffc:{${stage}}:acks:new-checkout:3`, 'x/y', '{}')).rejects.toThrow(/NOPERM/);
    await expect(checker.hset(`ffc:{${stage}}:flags:checkout-api`, 'v:x', '1')).rejects.toThrow(/NOPERM/);
    const updater = await connectAs('cacheUpdater');
    await expect(updater.hgetall(`ffc:{${stage}}:acks:new-checkout:3`)).rejects.toThrow(/NOPERM/);
  });

  test("no role reaches another stage's keys or any other key", async () => {
    for (const role of ['cacheUpdater', 'consistencyChecker', 'readers'] as const) {
      const client = await connectAs(role);
      await expect(client.hget(`ffc:{other}:flags:checkout-api`, 'v:new-checkout')).rejects.toThrow(/NOPERM/);
      await expect(client.call('KEYS', '*')).rejects.toThrow(/NOPERM/);
    }
  });
});
