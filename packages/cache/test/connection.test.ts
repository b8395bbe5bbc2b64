import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Cluster } from 'ioredis';
import { clusterOptions, connectRedis, redisOptions, redisSettingsFromEnv } from '../src';

describe('redisOptions', () => {
  test('rediss:// turns TLS on with the host as server name', () => {
    expect(redisOptions({ url: 'rediss://cache.example.internal:6380', password: 'token' })).toMatchObject({
      host: 'cache.example.internal',
      port: 6380,
      password: 'token',
      tls: { servername: 'cache.example.internal' },
    });
  });
  test('an IP address is not sent as TLS server name, and a CA bundle is passed through', () => {
    const tls = redisOptions({ url: 'rediss://127.0.0.1:6380', tlsCa: 'PEM' }).tls;
    expect(tls).toEqual({ ca: 'PEM' });
  });
  test('redis:// is plain, with an ACL user when given', () => {
    const options = redisOptions({ url: 'redis://127.0.0.1:6391', username: 'flag-writer', password: 'p' });
    expect(options.tls).toBeUndefined();
    expect(options).toMatchObject({ username: 'flag-writer', password: 'p', lazyConnect: true });
  });
  test('another scheme or no URL at all is a clear error', () => {
    expect(() => redisOptions({ url: 'http://127.0.0.1:6391' })).toThrow(/must start with redis:\/\/ or rediss:\/\//);
    expect(() => redisOptions({ url: '127.0.0.1:6391' })).toThrow(/must start with redis:\/\/|is not a URL/);
  });
});

describe('cluster mode', () => {
  test('the node options carry TLS and credentials, and DNS names are kept for certificate checks', () => {
    const options = clusterOptions({ url: 'rediss://config.example.internal:6379', username: 'u', password: 'p' });
    expect(options.redisOptions).toMatchObject({
      username: 'u',
      password: 'p',
      tls: { servername: 'config.example.internal' },
    });
    const lookup = jest.fn();
    options.dnsLookup?.('config.example.internal', lookup);
    expect(lookup).toHaveBeenCalledWith(null, 'config.example.internal');
  });
  test('connectRedis picks the Cluster client only when cluster mode is on', () => {
    const cluster = connectRedis({ url: 'redis://127.0.0.1:1', cluster: true });
    const single = connectRedis({ url: 'redis://127.0.0.1:1' });
    expect(cluster).toBeInstanceOf(Cluster);
    expect(single).not.toBeInstanceOf(Cluster);
    cluster.disconnect();
    single.disconnect();
  });
});

describe('reconnect: false', () => {
  test('a refused connect ends the client instead of retrying, so nothing holds the process open', async () => {
    const redis = connectRedis({ url: 'redis://127.0.0.1:1', reconnect: false });
    const errors: Error[] = [];
    redis.on('error', (error: Error) => errors.push(error));
    await expect(redis.connect()).rejects.toThrow();
    expect(redis.status).toBe('end');
    expect(errors[0]?.message).toMatch(/ECONNREFUSED/);
  });
});

describe('redisSettingsFromEnv', () => {
  test('reads URL, ACL user, password, CA file and cluster mode', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ffc-ca-'));
    writeFileSync(path.join(dir, 'ca.pem'), 'CA PEM');
    expect(
      redisSettingsFromEnv({
        FFC_REDIS_URL: 'rediss://cache:6379',
        FFC_REDIS_USERNAME: 'flag-reader',
        FFC_REDIS_PASSWORD: 'secret',
        FFC_REDIS_TLS_CA_FILE: path.join(dir, 'ca.pem'),
        FFC_REDIS_CLUSTER: 'true',
      }),
    ).toEqual({
      url: 'rediss://cache:6379',
      username: 'flag-reader',
      password: 'secret',
      tlsCa: 'CA PEM',
      cluster: true,
    });
  });
  test('without a URL it says which variable to set', () => {
    expect(() => redisSettingsFromEnv({})).toThrow(/FFC_REDIS_URL is not set/);
  });
});
