import { randomBytes } from 'node:crypto';
import { connectRedis } from '@ffc/cache';
import { ensureEngines } from '@ffc/tools';
import { regionalRedisFromEnv } from '../src/regional-redis';

describe('regionalRedisFromEnv: the function connects as its own RBAC user', () => {
  const { redisUrl } = ensureEngines(['redis']);
  const admin = connectRedis({ url: redisUrl });
  const userName = `fn-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(16).toString('hex');
  const secretArn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${userName}-AbCdEf`;
  const env = { REDIS_URL: redisUrl, REDIS_USERNAME: userName, REDIS_SECRET_ARN: secretArn };
  const secrets = (value: string | undefined) => async (arn: string) => (arn === secretArn ? value : 'not this one');

  beforeAll(() => admin.call('ACL', 'SETUSER', userName, 'reset', 'on', `>${password}`, '+acl|whoami', '+info'));
  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', userName);
    admin.disconnect();
  });

  test('REDIS_USERNAME with the password read from REDIS_SECRET_ARN: Redis knows it as that user', async () => {
    const redis = await regionalRedisFromEnv(env, secrets(password));
    try {
      await expect(redis.call('ACL', 'WHOAMI')).resolves.toBe(userName);
    } finally {
      redis.disconnect();
    }
  });

  test("another secret's value is refused by Redis (WRONGPASS)", async () => {
    const redis = await regionalRedisFromEnv(env, secrets('a-password-of-another-user'));
    try {
      // ioredis reports a refused AUTH as an 'error' event; the connect itself only sees the socket close.
      const refused = new Promise<Error>((resolve) => redis.once('error', resolve));
      redis.connect().catch(() => undefined);
      expect((await refused).message).toMatch(/WRONGPASS/);
    } finally {
      redis.disconnect();
    }
  });

  test('a missing setting or an empty secret is a deployment defect, named', async () => {
    const { REDIS_USERNAME: _, ...withoutUser } = env;
    await expect(regionalRedisFromEnv(withoutUser, secrets(password))).rejects.toThrow(/REDIS_USERNAME is not set/);
    await expect(regionalRedisFromEnv(env, secrets(undefined))).rejects.toThrow(/has no SecretString/);
  });
});
