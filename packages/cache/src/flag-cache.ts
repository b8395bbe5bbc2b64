import { Cluster } from 'ioredis';
import { Acknowledgement, readAcknowledgements } from './acknowledgements';
import { applyFlagScript } from './apply-script';
import type { RedisClient } from './connection';
import { CacheUnavailableError, CorruptEntryError, FlagCacheError, InvalidFlagUpdateError } from './errors';
import {
  assertFlagKey,
  CacheRecord,
  CacheUpdate,
  decodeCacheRecord,
  DEFAULT_MAX_ENTRY_BYTES,
  encodeFlagEntry,
  FlagEntry,
  FlagTombstone,
  isTombstone,
  toCacheRecord,
} from './flag-update';
import { assertServiceId, KeyLayout } from './key-layout';
import type { ApplyOutcome } from './log-records';

export interface FlagCacheOptions {
  /** A connected (or lazily connecting) client of the region's Redis. */
  readonly redis: RedisClient;
  readonly stage: string;
  /** @default 262144 (the SNS/SQS message limit) */
  readonly maxEntryBytes?: number;
}

export interface ServiceOutcome {
  readonly service: string;
  readonly outcome: ApplyOutcome;
  /** The version the service holds after the call: the change's on `applied`, the newer one on `stale`. */
  readonly storedVersion: number;
  /**
   * Which write of storedVersion the service holds (its correlation id), when known: the change's own on
   * `applied`, the other region's when a same-version change was refused. @default - not known
   */
  readonly storedCorrelationId?: string;
}

export interface ApplyResult {
  readonly stage: string;
  readonly flagKey: string;
  readonly version: number;
  /** Services whose entry now holds this version. */
  readonly applied: readonly string[];
  /** Services that already held this version or a newer one (duplicate or out-of-order delivery). */
  readonly stale: readonly string[];
  /** One outcome per distinct target service, in request order. */
  readonly outcomes: readonly ServiceOutcome[];
}

export interface FlagCache {
  readonly stage: string;
  readonly keys: KeyLayout;
  /**
   * Writes the change (or the archive's tombstone) to every service whose stored version is lower, or that
   * holds the same-version write named by `change.replaces`: one atomic script call, one round trip.
   */
  apply(change: CacheUpdate, services: readonly string[]): Promise<ApplyResult>;
  /** One service's entry; undefined when the flag is unknown or archived. */
  get(service: string, flagKey: string): Promise<FlagEntry | undefined>;
  /** One service's entry or tombstone. */
  record(service: string, flagKey: string): Promise<CacheRecord | undefined>;
  /** Every live flag a service holds, by flag key (archived ones left out). */
  snapshot(service: string): Promise<Record<string, FlagEntry>>;
  /** The reader instances that reported serving this flag version. */
  acknowledgements(flagKey: string, version: number): Promise<Acknowledgement[]>;
  /** Deletes every key of the stage (tearing a stage down); returns how many keys were removed. */
  clear(): Promise<number>;
}

/** Splits a service hash into entries and tombstones, collecting fields that do not parse instead of failing on them. */
export function decodeServiceHash(
  key: string,
  fields: Record<string, string>,
): { entries: Record<string, FlagEntry>; archived: FlagTombstone[]; corrupt: CorruptEntryError[] } {
  const entries: Record<string, FlagEntry> = {};
  const archived: FlagTombstone[] = [];
  const corrupt: CorruptEntryError[] = [];
  for (const [field, text] of Object.entries(fields)) {
    if (!field.startsWith('e:')) continue;
    try {
      const record = decodeCacheRecord(text, { key, field });
      if (isTombstone(record)) archived.push(record);
      else entries[record.flagKey] = record;
    } catch (error) {
      corrupt.push(error as CorruptEntryError);
    }
  }
  return { entries, archived, corrupt };
}

export function createFlagCache(options: FlagCacheOptions): FlagCache {
  const { redis, stage, maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES } = options;
  const keys = new KeyLayout(stage);
  let lastConnectionError: Error | undefined;
  redis.on('error', (error: Error) => (lastConnectionError = error));
  redis.on('ready', () => (lastConnectionError = undefined));

  async function talkToRedis<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof FlagCacheError) throw error;
      throw new CacheUnavailableError(operation, error, lastConnectionError);
    }
  }

  async function apply(change: CacheUpdate, services: readonly string[]): Promise<ApplyResult> {
    const entry = toCacheRecord(change, maxEntryBytes);
    if (change.stage !== undefined && change.stage !== stage) {
      throw new InvalidFlagUpdateError('stage', `'${change.stage}' does not match this cache's stage '${stage}'`);
    }
    // A service listed twice would report its own write as stale.
    const targets = [...new Set(services.map(assertServiceId))];
    const base = { stage, flagKey: entry.flagKey, version: entry.version };
    if (targets.length === 0) return { ...base, applied: [], stale: [], outcomes: [] };

    const reply = (await talkToRedis(`apply ${entry.flagKey} v${entry.version}`, () =>
      applyFlagScript.run(
        redis,
        targets.map((service) => keys.serviceFlags(service)),
        [entry.flagKey, entry.version, encodeFlagEntry(entry), keys.channelPrefix(), change.replaces ?? '', ...targets],
      ),
    )) as (number | string)[];
    const outcomes = targets.map((service, i): ServiceOutcome => {
      const applied = reply[3 * i] === 1;
      const storedCorrelationId = (applied ? change.correlationId : String(reply[3 * i + 2])) || undefined;
      return {
        service,
        outcome: applied ? 'applied' : 'stale',
        storedVersion: Number(reply[3 * i + 1]),
        ...(storedCorrelationId ? { storedCorrelationId } : {}),
      };
    });
    return {
      ...base,
      applied: outcomes.filter((o) => o.outcome === 'applied').map((o) => o.service),
      stale: outcomes.filter((o) => o.outcome === 'stale').map((o) => o.service),
      outcomes,
    };
  }

  async function record(service: string, flagKey: string): Promise<CacheRecord | undefined> {
    const key = keys.serviceFlags(assertServiceId(service));
    const field = `e:${assertFlagKey(flagKey)}`;
    const text = await talkToRedis(`read ${field} of ${key}`, () => redis.hget(key, field));
    return text === null ? undefined : decodeCacheRecord(text, { key, field });
  }

  async function get(service: string, flagKey: string): Promise<FlagEntry | undefined> {
    const found = await record(service, flagKey);
    return found === undefined || isTombstone(found) ? undefined : found;
  }

  async function snapshot(service: string): Promise<Record<string, FlagEntry>> {
    const key = keys.serviceFlags(assertServiceId(service));
    const fields = await talkToRedis(`read ${key}`, () => redis.hgetall(key));
    const { entries, corrupt } = decodeServiceHash(key, fields);
    if (corrupt.length > 0) throw corrupt[0];
    return entries;
  }

  async function acknowledgements(flagKey: string, version: number): Promise<Acknowledgement[]> {
    return talkToRedis(`read acknowledgements of ${flagKey} v${version}`, () =>
      readAcknowledgements(redis, keys, assertFlagKey(flagKey), version),
    );
  }

  async function clear(): Promise<number> {
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    let removed = 0;
    for (const node of nodes) {
      for await (const batch of node.scanStream({ match: keys.everyKeyPattern(), count: 500 })) {
        const found = batch as string[];
        if (found.length > 0) removed += await node.unlink(...found);
      }
    }
    return removed;
  }

  return { stage, keys, apply, get, record, snapshot, acknowledgements, clear };
}
