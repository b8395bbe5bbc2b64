import { redisOptions } from '../src';

describe('redisOptions', () => {
  test('rediss:// turns TLS on with the host as server name', () => {
    expect(redisOptions({ url: 'rediss://cache.example.internal:6380', password: 'token' })).toMatchObject({
      host: 'cache.example.internal',
      port: 6380,
      password: 'token',
      tls: { servername: 'cache.example.internal' },
    });
  });
  test('redis:// is plain', () => {
    expect(redisOptions({ url: 'redis://127.0.0.1:6391' }).tls).toBeUndefined();
  });
  test('another scheme is a clear error', () => {
    expect(() => redisOptions({ url: 'http://127.0.0.1:6391' })).toThrow(/must start with redis:\/\/ or rediss:\/\//);
  });
});
