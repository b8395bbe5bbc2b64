import { isServiceId, SERVICE_ID_PATTERN } from '@ffc/identifiers';
import { DuplicateServiceError, FfcConstructError, InvalidPropError } from '../errors';

/** FNV-1a: a fixed, dependency-free hash, so a service's shard is the same on every machine and release. */
/* eslint-disable no-bitwise -- FNV-1a is defined by xor and 32-bit multiplication */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
/* eslint-enable no-bitwise */

/**
 * The shard a service's queue lives in. It depends only on the service id and the shard count, so adding
 * or removing services never moves another service's (named) queue to a different stack.
 */
export function shardOf(serviceId: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new InvalidPropError('RegionalFanOut', 'shardCount', shardCount, 'a positive integer');
  }
  return fnv1a(serviceId) % shardCount;
}

/** Services grouped by shard, each group sorted; throws on an invalid or duplicate service id. */
export function assignShards(serviceIds: readonly string[], shardCount: number): string[][] {
  const shards: string[][] = Array.from({ length: shardCount }, () => []);
  const seen = new Set<string>();
  for (const id of serviceIds) {
    if (!isServiceId(id)) {
      throw new FfcConstructError(
        `service id '${id}' must match ${SERVICE_ID_PATTERN.source} (it becomes a queue name): use the id from the service catalogue`,
      );
    }
    if (seen.has(id)) throw new DuplicateServiceError(id);
    seen.add(id);
    shards[shardOf(id, shardCount)].push(id);
  }
  return shards.map((shard) => shard.sort());
}
