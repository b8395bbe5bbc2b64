import { hostname } from 'node:os';
import { Acknowledgement, writeAcknowledgements } from './acknowledgements';
import type { RedisClient } from './connection';
import { CacheUnavailableError, FlagCacheError } from './errors';
import { CompiledFlag } from './evaluation/evaluate';
import { decodeServiceHash } from './flag-cache';
import { CacheRecord, decodeCacheRecord, FlagEntry, FlagTombstone, isTombstone, supersedes } from './flag-update';
import { assertServiceId, KeyLayout } from './key-layout';
import { flagActiveRecord, jsonLineLogger, ReaderStalenessRecord, StructuredLogger } from './log-records';

export interface FlagReaderOptions {
  /** Client of the region's Redis; the reader duplicates it for its pub/sub connection and never closes it. */
  readonly redis: RedisClient;
  readonly stage: string;
  /** The catalogue id of the service this process is. */
  readonly service: string;
  /** @default - the AWS_REGION environment variable */
  readonly region?: string;
  /** Names this process in acknowledgements. @default - `<hostname>-<pid>` */
  readonly instanceId?: string;
  /** @default - JSON lines on stdout (warnings on stderr) */
  readonly logger?: StructuredLogger;
  /** Delay before retrying a failed refresh while connected. @default 1000 */
  readonly refreshRetryMs?: number;
  /**
   * How often the reader reloads its service's flags while all seems well. Pub/sub delivers at most once
   * and a reconnect already reloads, so this bounds how long a message lost some other way can go unnoticed.
   * 0 turns it off.
   * @default 60000
   */
  readonly resyncIntervalMs?: number;
}

/** A flag as the reader serves it: compiled once per version, or the reason it cannot be evaluated. */
export type ServedFlag =
  | { readonly entry: FlagEntry; readonly compiled: CompiledFlag; readonly error?: undefined }
  | { readonly entry: FlagEntry; readonly compiled?: undefined; readonly error: string };

export type FlagReaderEvent =
  /** New versions served (`entries`) and flags archived (`archived`, now answered as not found). */
  | { readonly type: 'changed'; readonly entries: readonly FlagEntry[]; readonly archived: readonly FlagTombstone[] }
  | { readonly type: 'stale'; readonly reason: string }
  | { readonly type: 'fresh' };

export type FlagReaderState = 'idle' | 'fresh' | 'stale' | 'closed';

export interface FlagReader {
  readonly stage: string;
  readonly service: string;
  readonly region: string;
  readonly instanceId: string;
  /** `stale` while Redis is unreachable: the reader keeps serving the last values it had. */
  readonly state: FlagReaderState;
  /** Subscribes to changes, then loads the service's flags; rejects if Redis cannot be reached (it keeps retrying). */
  start(): Promise<void>;
  /** Synchronous, from memory; undefined when unknown or archived. */
  get(flagKey: string): FlagEntry | undefined;
  /** The compiled flag the provider evaluates, synchronous. */
  flag(flagKey: string): ServedFlag | undefined;
  /** Every live flag. */
  entries(): FlagEntry[];
  /** Returns a function that removes the listener. */
  subscribe(listener: (event: FlagReaderEvent) => void): () => void;
  /** Closes the pub/sub connection; the caller's client stays open. */
  close(): Promise<void>;
}

function defaultRegion(): string {
  const region = process.env.AWS_REGION;
  if (!region) throw new FlagCacheError('createFlagReader needs a region: pass { region } or set AWS_REGION');
  return region;
}

export function createFlagReader(options: FlagReaderOptions): FlagReader {
  const { redis, stage, logger = jsonLineLogger, refreshRetryMs = 1000, resyncIntervalMs = 60_000 } = options;
  const service = assertServiceId(options.service);
  const region = options.region ?? defaultRegion();
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
  const keys = new KeyLayout(stage);
  const flagsKey = keys.serviceFlags(service);
  const channel = keys.serviceChannel(service);
  // Every record's version and write, tombstones included, so an older delivery never replaces a newer archive.
  const held = new Map<string, { version: number; correlationId?: string }>();
  const flags = new Map<string, ServedFlag>();
  const listeners = new Set<(event: FlagReaderEvent) => void>();
  let state: FlagReaderState = 'idle';
  let subscriber: RedisClient | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let resyncTimer: NodeJS.Timeout | undefined;

  const emit = (event: FlagReaderEvent): void => listeners.forEach((listener) => listener(event));

  function logStaleness(event: ReaderStalenessRecord['event'], reason: string): void {
    const record: ReaderStalenessRecord = { event, service, region, stage, instanceId, reason };
    if (event === 'flag_reader_stale') logger.warn(record);
    else logger.info(record);
  }

  function markStale(reason: string): void {
    if (state === 'stale' || state === 'closed') return;
    state = 'stale';
    logStaleness('flag_reader_stale', reason);
    emit({ type: 'stale', reason });
  }

  function markFresh(): void {
    if (state === 'fresh' || state === 'closed') return;
    const recovered = state === 'stale';
    state = 'fresh';
    if (recovered) logStaleness('flag_reader_fresh', 'refreshed from Redis');
    emit({ type: 'fresh' });
  }

  function serve(entry: FlagEntry): ServedFlag {
    try {
      return { entry, compiled: new CompiledFlag(entry.flagKey, entry) };
    } catch (error) {
      logger.warn({
        event: 'flag_entry_unevaluable',
        service,
        region,
        stage,
        flagKey: entry.flagKey,
        error: (error as Error).message,
      });
      return { entry, error: (error as Error).message };
    }
  }

  /**
   * Keeps only records that supersede what is served (messages and snapshots may arrive in any order): a newer
   * version, or last-writer-wins' replacement of the write served.
   */
  function merge(candidates: readonly CacheRecord[]): void {
    const activated = candidates.filter((record) => {
      if (!supersedes(record, held.get(record.flagKey))) return false;
      held.set(record.flagKey, { version: record.version, correlationId: record.correlationId });
      if (isTombstone(record)) flags.delete(record.flagKey);
      else flags.set(record.flagKey, serve(record));
      return true;
    });
    if (activated.length === 0) return;
    const activeAt = new Date().toISOString();
    const acknowledgements: Acknowledgement[] = activated.map(({ flagKey, version, correlationId }) => ({
      flagKey,
      version,
      correlationId,
      service,
      region,
      instanceId,
      activeAt,
    }));
    for (const ack of acknowledgements) logger.info(flagActiveRecord({ ...ack, stage }));
    emit({
      type: 'changed',
      entries: activated.filter((record): record is FlagEntry => !isTombstone(record)),
      archived: activated.filter(isTombstone),
    });
    writeAcknowledgements(redis, keys, acknowledgements).catch((error: Error) =>
      logger.warn({ event: 'flag_acknowledgement_failed', service, region, stage, error: error.message }),
    );
  }

  function onMessage(from: string, message: string): void {
    if (from !== channel) return;
    try {
      merge([decodeCacheRecord(message, { key: channel, field: 'message' })]);
    } catch (error) {
      logger.warn({ event: 'flag_message_rejected', service, region, stage, error: (error as Error).message });
    }
  }

  async function refresh(): Promise<void> {
    const fields = await redis.hgetall(flagsKey);
    const { entries, archived, corrupt } = decodeServiceHash(flagsKey, fields);
    for (const error of corrupt) {
      logger.warn({ event: 'flag_entry_corrupt', service, region, stage, error: error.message });
    }
    merge([...Object.values(entries), ...archived]);
  }

  function scheduleRetry(): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void resync(), refreshRetryMs);
    retryTimer.unref();
  }

  /** After a (re)connect: once the subscription is live again, reload whatever was missed meanwhile. */
  async function resync(): Promise<void> {
    if (state === 'closed' || !subscriber) return;
    try {
      // Subscribing again is idempotent, and its reply proves the subscription is live before we read.
      await subscriber.subscribe(channel);
      await refresh();
      markFresh();
    } catch (error) {
      markStale(`refresh failed: ${(error as Error).message}`);
      scheduleRetry();
    }
  }

  async function start(): Promise<void> {
    if (subscriber) throw new FlagCacheError(`the flag reader of ${service} is already started`);
    subscriber = redis.duplicate();
    subscriber.on('message', onMessage);
    subscriber.on('error', () => undefined); // Connection errors surface as 'close' and stale state below.
    subscriber.on('close', () => markStale('connection to Redis lost'));
    try {
      await subscriber.subscribe(channel);
      await refresh();
    } catch (error) {
      markStale(`start failed: ${(error as Error).message}`);
      throw new CacheUnavailableError(`start the flag reader of ${service}`, error);
    } finally {
      // From now on every reconnect resynchronises (registered after the first 'ready').
      subscriber.on('ready', () => void resync());
    }
    markFresh();
    if (resyncIntervalMs > 0) {
      // While stale, the retry loop above is already reloading; the interval only checks a fresh reader.
      resyncTimer = setInterval(() => void (state === 'fresh' && resync()), resyncIntervalMs);
      resyncTimer.unref();
    }
  }

  async function close(): Promise<void> {
    state = 'closed';
    clearTimeout(retryTimer);
    clearInterval(resyncTimer);
    listeners.clear();
    subscriber?.disconnect();
  }

  return {
    stage,
    service,
    region,
    instanceId,
    get state() {
      return state;
    },
    start,
    get: (flagKey) => flags.get(flagKey)?.entry,
    flag: (flagKey) => flags.get(flagKey),
    entries: () => [...flags.values()].map((served) => served.entry),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close,
  };
}
