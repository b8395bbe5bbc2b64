import { REDIS_ROLE_TAG, flagCacheKeyPrefix } from '@ffc/identifiers';

/** The Redis users of a stage's flag cache, one per role (not per service: see {@link redisAccessStrings}). */
export type RedisRole = 'cacheUpdater' | 'consistencyChecker' | 'readers';

export const REDIS_ROLES: readonly RedisRole[] = ['cacheUpdater', 'consistencyChecker', 'readers'];

export { REDIS_ROLE_TAG };

/**
 * The key layout of `@ffc/cache` (`KeyLayout`: `ffc:{<stage>}:flags:<service>`, `…:changed:<service>`,
 * `…:acks:<flagKey>:<version>`) as ACL patterns, from the prefix both take from `@ffc/identifiers` (the published
 * construct library may not import the private cache package); test/cache/access-strings.test.ts holds these
 * patterns to the keys `KeyLayout` writes.
 */
export function flagCacheKeyspace(stage: string) {
  const prefix = flagCacheKeyPrefix(stage);
  return {
    /** Each service's hash of entries. */
    flags: `${prefix}:flags:*`,
    /** The channel each applied entry is published on. */
    changed: `${prefix}:changed:*`,
    /** Readers' acknowledgements, a hash per flag version. */
    acks: `${prefix}:acks:*`,
  };
}

/**
 * Least-privilege ElastiCache access strings (Redis ACL rules: `~` read-write keys, `%R~` read-only keys,
 * `&` channels, `+` commands; Redis 7 ACL key permissions). `+info` is ioredis' ready check, which waits out a
 * restarted server's loading. One user per role rather than per service: ElastiCache allows 100 users per user
 * group, and the 156 services of a region would not fit — so every reader may read every service's entries.
 */
export function redisAccessStrings(stage: string): Record<RedisRole, string> {
  const keys = flagCacheKeyspace(stage);
  return {
    // The apply script (EVALSHA, EVAL once after NOSCRIPT) reads and writes entries and publishes them;
    // Redis checks the commands a script calls against the caller's ACL too.
    cacheUpdater: `on ~${keys.flags} &${keys.changed} +evalsha +eval +hget +hset +publish +info`,
    consistencyChecker: `on %R~${keys.flags} %R~${keys.acks} +hget +hgetall +info`,
    readers: `on %R~${keys.flags} ~${keys.acks} &${keys.changed} +hgetall +subscribe +hset +expire +info`,
  };
}

/**
 * The `default` user every ElastiCache user group must contain, switched off: no commands, no keys, so a
 * client that does not name its user gets nothing.
 */
export const DISABLED_DEFAULT_USER_ACCESS = 'off -@all';
