import Redis, { RedisOptions } from 'ioredis';

/** How to reach a regional Redis: plain on loopback, TLS with AUTH on ElastiCache. */
export interface RedisConnectionSettings {
  /** `redis://host:port` or `rediss://host:port` (TLS). */
  readonly url: string;
  /** ACL user name. @default - the default user */
  readonly username?: string;
  /** AUTH token or ACL password. @default - no AUTH */
  readonly password?: string;
}

export function redisOptions(settings: RedisConnectionSettings): RedisOptions {
  const url = new URL(settings.url);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`Redis URL '${settings.url}' must start with redis:// or rediss:// (TLS)`);
  }
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: settings.username,
    password: settings.password,
    tls: url.protocol === 'rediss:' ? { servername: url.hostname } : undefined,
    lazyConnect: true,
  };
}

export function connectRedis(settings: RedisConnectionSettings): Redis {
  return new Redis(redisOptions(settings));
}
