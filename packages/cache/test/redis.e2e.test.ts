import { randomBytes } from 'node:crypto';
import { ensureEngines } from '@ffc/tools';
import { connectRedis, redisSettingsFromEnv } from '../src';

describe('local Redis (tools/engines): the connection the environment configures', () => {
  const { redisUrl } = ensureEngines(['redis']);

  test('FFC_REDIS_USERNAME and FFC_REDIS_PASSWORD authenticate as that ACL user; a wrong password is refused', async () => {
    const admin = connectRedis({ url: redisUrl });
    const user = `ffc-test-${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '+@all');
    const env = { FFC_REDIS_URL: redisUrl, FFC_REDIS_USERNAME: user, FFC_REDIS_PASSWORD: password };
    const redis = connectRedis(redisSettingsFromEnv(env));
    const wrong = connectRedis({ ...redisSettingsFromEnv(env), password: 'not-the-password', reconnect: false });
    try {
      await expect(redis.call('ACL', 'WHOAMI')).resolves.toBe(user);
      // ioredis reports a refused AUTH as an 'error' event; the connect itself only sees the socket close.
      const refused = new Promise<Error>((resolve) => wrong.once('error', resolve));
      await expect(wrong.connect()).rejects.toThrow();
      expect((await refused).message).toMatch(/WRONGPASS/);
    } finally {
      redis.disconnect();
      wrong.disconnect();
      await admin.call('ACL', 'DELUSER', user);
      admin.disconnect();
    }
  });
});
