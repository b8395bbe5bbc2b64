import type { RedisClient } from './connection';
import type { KeyLayout } from './key-layout';
import type { FlagActiveRecord } from './log-records';

/** A reader instance's statement that it serves a flag version. */
export type Acknowledgement = Omit<FlagActiveRecord, 'event' | 'stage'>;

/** Acknowledgement hashes expire: they matter while a change is verified, not forever. */
export const ACKNOWLEDGEMENT_TTL_SECONDS = 7 * 24 * 3600;

export async function writeAcknowledgements(
  redis: RedisClient,
  keys: KeyLayout,
  acknowledgements: readonly Acknowledgement[],
): Promise<void> {
  if (acknowledgements.length === 0) return;
  const pipeline = redis.pipeline();
  for (const ack of acknowledgements) {
    const key = keys.acknowledgements(ack.flagKey, ack.version);
    pipeline.hset(key, `${ack.service}/${ack.instanceId}`, JSON.stringify(ack));
    pipeline.expire(key, ACKNOWLEDGEMENT_TTL_SECONDS);
  }
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error);
  if (failure) throw failure[0];
}

export async function readAcknowledgements(
  redis: RedisClient,
  keys: KeyLayout,
  flagKey: string,
  version: number,
): Promise<Acknowledgement[]> {
  const fields = await redis.hgetall(keys.acknowledgements(flagKey, version));
  return Object.values(fields)
    .map((text) => JSON.parse(text) as Acknowledgement)
    .sort((a, b) => `${a.service}/${a.instanceId}`.localeCompare(`${b.service}/${b.instanceId}`));
}
