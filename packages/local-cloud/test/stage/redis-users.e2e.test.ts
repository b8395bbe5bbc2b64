import { randomBytes } from 'node:crypto';
import { RedisClient, connectRedis } from '@ffc/cache';
import { ensureEngines } from '@ffc/tools';
import { readCloudAssembly } from '../../src/assembly/cloud-assembly';
import { StageModel, buildStageModel } from '../../src/assembly/stage-model';
import { applyRedisUsers } from '../../src/stage/redis-users';
import { writeRedisAssembly } from '../support/redis-assembly';

/** The users of a synthesised-shape template applied to a real Redis, then used as a function would. */
describe('applyRedisUsers: ElastiCache users on the region’s local Redis', () => {
  const { redisUrl } = ensureEngines(['redis']);
  const prefix = `u${randomBytes(3).toString('hex')}`;
  const dir = writeRedisAssembly(prefix);
  const model: StageModel = buildStageModel(readCloudAssembly(dir), dir, {
    gatewayUrl: 'http://127.0.0.1:4566',
    redisUrl: () => redisUrl,
    opensearchUrl: 'http://127.0.0.1:9211',
  });
  const secrets = new Map(model.secrets.map((s) => [s.arn, randomBytes(20).toString('hex')]));
  const passwordOf = (userName: string) =>
    secrets.get(model.redisUsers.find((u) => u.userName === userName)!.passwordSecretArns[0])!;
  const admin = connectRedis({ url: redisUrl });
  const clients: RedisClient[] = [];
  const updater = `${prefix}-redis-updater`;
  const readers = `${prefix}-redis-readers`;
  const flags = `ffc:{${prefix}}:flags:checkout-api`;

  /** Connects as `username` and reports the error Redis answers the AUTH with, or undefined when it is accepted. */
  async function authenticate(username: string, password: string): Promise<RedisClient | Error> {
    const client = connectRedis({ url: redisUrl, username, password, reconnect: false });
    clients.push(client);
    const refused = new Promise<Error>((resolve) => client.once('error', resolve));
    try {
      await client.connect();
      return client;
    } catch {
      return refused;
    }
  }

  beforeAll(() =>
    applyRedisUsers(
      model.redisUsers,
      () => redisUrl,
      (arn) => secrets.get(arn),
    ),
  );
  afterAll(async () => {
    for (const client of clients) if (client.status !== 'end') client.disconnect();
    await admin.del(flags);
    for (const user of [updater, readers]) await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
  });

  test("the updater's user with its secret's value connects and does what its access string allows", async () => {
    const client = (await authenticate(updater, passwordOf(updater))) as RedisClient;
    await expect(client.hset(flags, 'v:new-checkout', '3')).resolves.toBe(1);
    await expect(client.hget(flags, 'v:new-checkout')).resolves.toBe('3');
  });

  test('a wrong password, or another user’s, is refused (WRONGPASS)', async () => {
    expect(String(await authenticate(updater, 'not-the-password-at-all'))).toMatch(/WRONGPASS/);
    expect(String(await authenticate(updater, passwordOf(readers)))).toMatch(/WRONGPASS/);
  });

  test('what the access string does not allow is refused (NOPERM)', async () => {
    const reader = (await authenticate(readers, passwordOf(readers))) as RedisClient;
    await expect(reader.hget(flags, 'v:new-checkout')).resolves.not.toBeUndefined();
    await expect(reader.hset(flags, 'v:new-checkout', '99')).rejects.toThrow(/NOPERM/);
    await expect(reader.hget(`ffc:{other}:flags:checkout-api`, 'v:x')).rejects.toThrow(/NOPERM/);
  });

  test("the local server's own default user is left as it was: the harness still connects without a password", async () => {
    await expect(admin.ping()).resolves.toBe('PONG');
    const flagsOfDefault = (await admin.call('ACL', 'GETUSER', 'default')) as unknown[];
    expect(flagsOfDefault[1]).toEqual(expect.arrayContaining(['on', 'nopass']));
  });

  test('applying again with new secret values replaces the password, as ModifyUser does', async () => {
    const old = passwordOf(updater);
    const renewed = new Map([...secrets].map(([arn]) => [arn, randomBytes(20).toString('hex')]));
    await applyRedisUsers(
      model.redisUsers,
      () => redisUrl,
      (arn) => renewed.get(arn),
    );
    expect(String(await authenticate(updater, old))).toMatch(/WRONGPASS/);
    const arn = model.redisUsers.find((u) => u.userName === updater)!.passwordSecretArns[0];
    expect(await authenticate(updater, renewed.get(arn)!)).not.toBeInstanceOf(Error);
  });
});
