import { murmur3X86_32 } from './murmur3';

/** A rollout has 10,000 buckets: percentages carry two decimals (FFC-ROLLOUT-003). */
export const ROLLOUT_BUCKETS = 10_000;

/**
 * The sticky bucket (0-9,999) of one unit for one flag: murmur3 of `<flagKey>:<unit id>`, seed 0, the key
 * Unleash's gradual rollout hashes (`<groupId>:<userId>`, group id = the flag's name). The hundreds are
 * `hash % 100`, so at whole percentages the units inside are exactly Unleash's (`normalizedValue = hash % 100
 * + 1 <= percentage`); the last two digits refine it to 0.01 %. A unit inside at p % is inside at every
 * higher percentage, and the flag key in the hash makes buckets independent across flags.
 */
export function rolloutBucket(flagKey: string, unitId: string): number {
  const hash = murmur3X86_32(`${flagKey}:${unitId}`);
  return (hash % 100) * 100 + (Math.floor(hash / 100) % 100);
}

/** Whether a bucket is inside a rollout of `percentage` (0-100, two decimals). */
export function inRollout(bucket: number, percentage: number): boolean {
  return bucket < Math.round(percentage * 100);
}
