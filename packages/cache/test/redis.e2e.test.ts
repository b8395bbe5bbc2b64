import { ensureEngines } from '@ffc/tools';
import { connectRedis } from '../src';

describe('local Redis (tools/engines)', () => {
  test('answers PING over the connection settings the package builds', async () => {
    const { redisUrl } = ensureEngines(['redis']);
    const redis = connectRedis({ url: redisUrl });
    try {
      await redis.connect();
      await expect(redis.ping()).resolves.toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });
});
