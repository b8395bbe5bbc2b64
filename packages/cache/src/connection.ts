import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';

/** A regional Redis: one node or replication group (cluster mode off), or a cluster (cluster mode on). */
export type RedisClient = Redis | Cluster;

/** How to reach a regional Redis: plain on loopback, TLS with AUTH/ACL on ElastiCache. */
export interface RedisConnectionSettings {
  /** `redis://host:port` or `rediss://host:port` (TLS); with cluster mode, the configuration endpoint. */
  readonly url: string;
  /** ACL user name. @default - the default user */
  readonly username?: string;
  /** AUTH token or ACL password. @default - no AUTH */
  readonly password?: string;
  /** PEM of the CA that signed the server certificate. @default - Node's bundled public CAs (ElastiCache) */
  readonly tlsCa?: string;
  /** Cluster mode enabled: connect through ioredis' Cluster client. @default false */
  readonly cluster?: boolean;
  /** Reconnect attempts a command waits through before it fails. @default 3 */
  readonly maxRetriesPerRequest?: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * Whether a lost or refused connection is retried. False for one-shot probes: a failed connect then ends
   * the client, with no reconnect timer or half-closed socket left to hold the process open.
   * @default true
   */
  readonly reconnect?: boolean;
}

function tlsOptions(url: URL, settings: RedisConnectionSettings): ConnectionOptions | undefined {
  if (url.protocol !== 'rediss:') return undefined;
  // SNI may not carry an IP address (RFC 6066); the certificate is then checked against the IP itself.
  return {
    ...(isIP(url.hostname) ? {} : { servername: url.hostname }),
    ...(settings.tlsCa ? { ca: settings.tlsCa } : {}),
  };
}

function parseRedisUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Redis URL '${text}' is not a URL: use redis://host:port or rediss://host:port (TLS)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`Redis URL '${text}' must start with redis:// or rediss:// (TLS)`);
  }
  return url;
}

export function redisOptions(settings: RedisConnectionSettings): RedisOptions {
  const url = parseRedisUrl(settings.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: settings.username,
    password: settings.password,
    tls: tlsOptions(url, settings),
    lazyConnect: true,
    maxRetriesPerRequest: settings.maxRetriesPerRequest ?? 3,
    connectTimeout: settings.connectTimeoutMs ?? 5000,
    // Only when asked: an explicit undefined would replace ioredis' default retry strategy.
    ...(settings.reconnect === false ? { retryStrategy: () => null } : {}),
  };
}

export function clusterOptions(settings: RedisConnectionSettings): ClusterOptions {
  const { host: _host, port: _port, ...nodeOptions } = redisOptions(settings);
  return {
    lazyConnect: true,
    maxRedirections: 16,
    // ElastiCache's TLS certificates name the configuration endpoint, not the node IPs DNS resolves to.
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: nodeOptions,
  };
}

/** Connects lazily (the first command or `connect()` opens the socket), in the mode the settings ask for. */
export function connectRedis(settings: RedisConnectionSettings): RedisClient {
  if (!settings.cluster) return new Redis(redisOptions(settings));
  const url = parseRedisUrl(settings.url);
  return new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], clusterOptions(settings));
}

/**
 * Reads connection settings from the environment (a Lambda's or a service's configuration):
 * FFC_REDIS_URL, FFC_REDIS_USERNAME, FFC_REDIS_PASSWORD, FFC_REDIS_TLS_CA_FILE, FFC_REDIS_CLUSTER=true.
 */
export function redisSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RedisConnectionSettings {
  const url = env.FFC_REDIS_URL;
  if (!url) throw new Error('FFC_REDIS_URL is not set: give the regional Redis endpoint, e.g. rediss://host:6379');
  const caFile = env.FFC_REDIS_TLS_CA_FILE;
  return {
    url,
    username: env.FFC_REDIS_USERNAME || undefined,
    password: env.FFC_REDIS_PASSWORD || undefined,
    tlsCa: caFile ? readFileSync(caFile, 'utf8') : undefined,
    cluster: env.FFC_REDIS_CLUSTER === 'true',
  };
}
