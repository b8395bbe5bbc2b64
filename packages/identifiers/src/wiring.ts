/**
 * Names the handlers and the infrastructure both wire: a message attribute and the events on a region's bus.
 * The construct library is published and may depend on no private package, so they live here, once.
 */

/** The SNS message attribute the validator sets and every fan-out subscription's filter policy reads. */
export const TARGET_SERVICES_ATTRIBUTE = 'targetServices';
/** Its value on a change meant for every service (each filter also admits it). */
export const ALL_SERVICES = '*';

/** The event the validator puts on the regional bus once a change is published; the verification rule matches it. */
export const CHANGE_PUBLISHED = { source: 'ffc.validator', detailType: 'flag-change-published' } as const;

/** An audit event a non-primary region forwards, over its default bus, to the primary region's default bus. */
export const AUDIT_FORWARDING = { source: 'ffc.audit', detailType: 'audit-event', eventBusName: 'default' } as const;

/**
 * The prefix of every Redis key and channel of a stage's flag cache (`@ffc/cache` KeyLayout); the hash tag
 * `{<stage>}` keeps them in one cluster slot. The constructs build the ElastiCache users' ACL patterns from it.
 */
export const flagCacheKeyPrefix = (stage: string): string => `ffc:{${stage}}`;

/** The tag naming each ElastiCache user's role (`readers`, …): the local cloud connects its simulated services as `readers`. */
export const REDIS_ROLE_TAG = 'ffc:redis-role';
