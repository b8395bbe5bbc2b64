/**
 * How long the cache updater waits, per message, for its region's Redis to come back (a failover or restart
 * takes seconds): a message reported failed is retried only after its queue's visibility timeout.
 */
export const DEFAULT_REDIS_OUTAGE_BUDGET_MS = 8_000;

/**
 * How long after its publication a change may still be on its way into the caches: the cache updater's
 * outage budget plus delivery. Verification does not call a change inconsistent before then.
 */
export const DEFAULT_APPLY_DEADLINE_MS = DEFAULT_REDIS_OUTAGE_BUDGET_MS + 2_000;
