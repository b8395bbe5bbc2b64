import {
  AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AttributeValue as StreamAttributeValue,
  DynamoDBStreamsClient,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { dynamoClient, dynamoStreamsClient, LocalDynamoOptions } from './client';
import { ReplicaNotReplicableError } from './errors';
import { canonicalAttributes, compareVersions, ItemImage, ItemVersion, imageHash } from './item-version';
import { ReplicaEchoes } from './replica-echoes';
import { StreamReader } from './stream-reader';
import { LocalCloudError, NotEmulatedError } from '../errors';

export interface GlobalTableReplicationOptions extends LocalDynamoOptions {
  /** The table every region holds a replica of (createReplicaTables). */
  readonly tableName: string;
  readonly regions: readonly string[];
  /**
   * How long after a write is seen in its replica's stream it is applied to another replica, in ms: one figure,
   * or one per (from, to) pair (a region that lags behind). AWS replicates in about a second; here the default
   * is as soon as the poll sees it, so the local cloud stays fast.
   * @default 0
   */
  readonly lagMs?: number | ((from: string, to: string) => number);
  /** How often each replica's stream is read, in ms; a write is seen at most this long after it is made. @default 25 */
  readonly pollIntervalMs?: number;
  /** Told of every failed stream read or replicated write. @default - settled() rejects with the first failure */
  readonly onError?: (error: Error) => void;
  /**
   * The source of write timestamps, in ms (tests fix it to force last-writer-wins ties).
   * @default - a monotonic clock: performance.timeOrigin + performance.now()
   */
  readonly clock?: () => number;
}

export interface GlobalTableReplicationStats {
  /** Replicated writes applied to a replica (an identical image counts, though it writes nothing). */
  readonly replicated: number;
  /** (Replicated write, replica) pairs not applied because the replica held a newer version of the item. */
  readonly droppedByLww: number;
  /** Records of replicated writes recognised in the target's stream and not replicated again. */
  readonly echoesSkipped: number;
  /** The longest time from a write being seen in its stream to it being applied to another replica, in ms. */
  readonly maxLagMs: number;
}

export interface GlobalTableReplication {
  /** Stops polling, cancels pending replicated writes and waits for those under way. */
  stop(): Promise<void>;
  /**
   * Resolves once every write made before the call has been seen, and every write seen has been applied or
   * dropped in every replica (echoes included). Rejects with the first failure when there is no onError.
   */
  settled(): Promise<void>;
  stats(): GlobalTableReplicationStats;
}

/** A write as seen in its stream, with when it was seen on the monotonic clock that lags are measured on. */
interface SeenVersion extends ItemVersion {
  readonly seenAt: number;
}

/** What replication knows of one item, keyed by its canonical key. */
interface ItemState {
  readonly keys: Record<string, StreamAttributeValue>;
  /** The newest version anywhere: every replica converges on it. */
  winner?: SeenVersion;
  /** What each replica holds, as far as its stream and our own writes tell. */
  readonly held: Map<string, SeenVersion>;
  /** Versions scheduled, being written, or written and awaited in the target's stream, per target region. */
  readonly pending: Map<string, Set<SeenVersion>>;
  /** Our writes to each replica whose stream record has not been read yet. */
  readonly echoes: Map<string, ReplicaEchoes<SeenVersion>>;
  /**
   * Replicas where a replicated write failed its condition: they hold a write their stream has not shown yet,
   * so nothing is sent there again until it has.
   */
  readonly unread: Set<string>;
  /** The last replicated write to each region: writes to one replica's item go one at a time. */
  readonly chains: Map<string, Promise<void>>;
}

interface Replica {
  readonly region: string;
  readonly client: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  keyAttribute?: string;
  roundsStarted: number;
  roundsCompleted: number;
}

const DEFAULT_POLL_INTERVAL_MS = 25;
/** A replicated write that failed for another reason than its condition is retried after this many poll intervals. */
const RETRY_POLL_INTERVALS = 10;

/**
 * Emulates the replication of a DynamoDB global table (version 2019.11.21, multi-Region eventual consistency)
 * between per-region replicas on DynamoDB Local: each replica's stream is polled, and every local write is
 * applied to every other replica after the lag, settled by last-writer-wins on the whole item.
 *
 * Write timestamps: DynamoDB Local truncates ApproximateCreationDateTime to the minute, so a write is stamped
 * with the clock reading when its GetRecords page arrived. That is at most one poll interval (plus one request)
 * after the write; two writes closer than that are treated as concurrent and the region name settles them,
 * which is the "best effort to determine the last writer" AWS documents. Echoes (our own writes showing up in
 * the target's stream) are recognised by (item key, image hash) in memory; no attribute is added to items.
 */
export function startGlobalTableReplication(options: GlobalTableReplicationOptions): GlobalTableReplication {
  return new Replication(options);
}

class Replication implements GlobalTableReplication {
  private readonly replicas: Replica[];
  private readonly items = new Map<string, ItemState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly loops: Promise<void>[];
  private readonly pollIntervalMs: number;
  private readonly clock: () => number;
  private readonly counts = { replicated: 0, droppedByLww: 0, echoesSkipped: 0, maxLagMs: 0 };
  private pendingCount = 0;
  private stopped = false;
  private firstFailure?: Error;
  private waiters: (() => void)[] = [];
  private readonly wakeSleepers = new Set<() => void>();

  constructor(private readonly options: GlobalTableReplicationOptions) {
    if (typeof options.lagMs === 'number') checkDuration('lagMs', options.lagMs);
    this.pollIntervalMs = checkDuration('pollIntervalMs', options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.clock = options.clock ?? (() => performance.timeOrigin + performance.now());
    this.replicas = options.regions.map((region) => ({
      region,
      client: dynamoClient(options, region),
      streams: dynamoStreamsClient(options, region),
      roundsStarted: 0,
      roundsCompleted: 0,
    }));
    this.loops = this.replicas.map((replica) => this.poll(replica));
  }

  stats(): GlobalTableReplicationStats {
    return { ...this.counts };
  }

  async settled(): Promise<void> {
    for (;;) {
      const targets = new Map(this.replicas.map((r) => [r, r.roundsStarted + 1]));
      await this.until(() => this.replicas.every((r) => r.roundsCompleted >= targets.get(r)!));
      if (this.pendingCount === 0) return;
      await this.until(() => this.pendingCount === 0);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.wakeSleepers.forEach((wake) => wake());
    this.notify();
    await Promise.all(this.loops);
    await Promise.all(this.running);
    for (const replica of this.replicas) {
      replica.client.destroy();
      replica.streams.destroy();
    }
  }

  private async until(done: () => boolean): Promise<void> {
    while (!done()) {
      this.throwIfFailedOrStopped();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.throwIfFailedOrStopped();
  }

  private throwIfFailedOrStopped(): void {
    if (this.firstFailure) {
      const failure = this.firstFailure;
      this.firstFailure = undefined;
      throw failure;
    }
    if (this.stopped) throw new LocalCloudError(`replication of '${this.options.tableName}' was stopped`);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((resolve) => resolve());
  }

  private report(error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (this.options.onError) this.options.onError(failure);
    else this.firstFailure ??= failure;
    this.notify();
  }

  private async poll(replica: Replica): Promise<void> {
    let reader: StreamReader;
    try {
      reader = await this.openStream(replica);
    } catch (error) {
      // A replica that cannot be followed never will be: count it as polled so settled() reports instead of hanging.
      replica.roundsCompleted = Number.POSITIVE_INFINITY;
      this.report(error);
      return;
    }
    while (!this.stopped) {
      replica.roundsStarted += 1;
      try {
        const records = await reader.read();
        const timestampMs = this.clock();
        const seenAt = performance.now();
        for (const record of records) this.onRecord(replica.region, record, timestampMs, seenAt);
      } catch (error) {
        if (!this.stopped) this.report(error);
      }
      replica.roundsCompleted += 1;
      this.notify();
      await this.sleep(this.pollIntervalMs);
    }
  }

  private async openStream(replica: Replica): Promise<StreamReader> {
    const { tableName } = this.options;
    let table;
    try {
      table = (await replica.client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      throw new ReplicaNotReplicableError(
        tableName,
        replica.region,
        'no such table: create it first (createReplicaTables)',
      );
    }
    const viewType = table?.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
    if (!table?.LatestStreamArn || !viewType) {
      throw new ReplicaNotReplicableError(
        tableName,
        replica.region,
        'the table has no stream (createReplicaTables enables it)',
      );
    }
    if (viewType !== 'NEW_IMAGE' && viewType !== 'NEW_AND_OLD_IMAGES') {
      throw new NotEmulatedError(`table '${tableName}' in ${replica.region}`, `replication from a ${viewType} stream`);
    }
    replica.keyAttribute = table.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    return new StreamReader(replica.streams, table.LatestStreamArn);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }

  private onRecord(region: string, record: _Record, timestampMs: number, seenAt: number): void {
    const keys = record.dynamodb?.Keys;
    if (!keys) return;
    const image: ItemImage = record.eventName === 'REMOVE' ? null : (record.dynamodb?.NewImage ?? null);
    const item = this.item(keys);
    item.unread.delete(region);
    const echoes = this.echoes(item, region);
    const hash = imageHash(image);
    const ours = echoes.seen(hash);
    if (ours.length > 0) {
      this.counts.echoesSkipped += 1;
      if (!echoes.landedUnseen) item.held.set(region, ours[ours.length - 1]);
      ours.forEach((version) => this.finish(item, region, version));
    } else {
      const version: SeenVersion = {
        timestampMs,
        region,
        sequenceNumber: BigInt(record.dynamodb?.SequenceNumber ?? '0'),
        image,
        imageHash: hash,
        seenAt,
      };
      // A local write read before one of ours that has landed was overwritten by it.
      if (!echoes.landedUnseen) item.held.set(region, version);
      if (!item.winner || compareVersions(version, item.winner) > 0) item.winner = version;
      for (const replica of this.replicas) {
        if (replica.region !== region) this.schedule(item, replica.region, version);
      }
    }
    this.converge(item);
  }

  private item(keys: Record<string, StreamAttributeValue>): ItemState {
    const key = canonicalAttributes(keys);
    let item = this.items.get(key);
    if (!item) {
      item = { keys, held: new Map(), pending: new Map(), echoes: new Map(), unread: new Set(), chains: new Map() };
      this.items.set(key, item);
    }
    return item;
  }

  private echoes(item: ItemState, region: string): ReplicaEchoes<SeenVersion> {
    let echoes = item.echoes.get(region);
    if (!echoes) item.echoes.set(region, (echoes = new ReplicaEchoes()));
    return echoes;
  }

  /** Sends the winner to every replica that holds something else and is not about to get it (a lost local write). */
  private converge(item: ItemState): void {
    const winner = item.winner;
    if (!winner) return;
    for (const replica of this.replicas) {
      if (item.unread.has(replica.region)) continue;
      if (item.held.get(replica.region) !== winner && !item.pending.get(replica.region)?.has(winner)) {
        this.schedule(item, replica.region, winner);
      }
    }
  }

  private schedule(item: ItemState, target: string, version: SeenVersion, delayMs?: number): void {
    if (this.stopped) return;
    let pending = item.pending.get(target);
    if (!pending) item.pending.set(target, (pending = new Set()));
    if (!pending.has(version)) {
      pending.add(version);
      this.pendingCount += 1;
    }
    const due = delayMs ?? version.seenAt + this.lag(version.region, target) - performance.now();
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const run = (item.chains.get(target) ?? Promise.resolve()).then(() => this.apply(item, target, version));
        item.chains.set(target, run);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      },
      Math.max(0, due),
    );
    this.timers.add(timer);
  }

  private lag(from: string, to: string): number {
    const lag = this.options.lagMs;
    if (from === to) return 0;
    if (typeof lag !== 'function') return lag ?? 0;
    const ms = lag(from, to);
    if (Number.isFinite(ms) && ms >= 0) return ms;
    this.report(new RangeError(`lagMs(${from}, ${to}) returned ${ms}: return a finite number of ms, 0 or more`));
    return 0;
  }

  /** Applies one replicated write to one replica, unless the replica holds a newer version (last writer wins). */
  private async apply(item: ItemState, target: string, version: SeenVersion): Promise<void> {
    if (this.stopped) return;
    const held = item.held.get(target);
    if (held && compareVersions(held, version) >= 0) {
      if (held !== version) this.counts.droppedByLww += 1;
      this.finish(item, target, version);
      return;
    }
    const echoes = this.echoes(item, target);
    if ((held?.imageHash ?? imageHash(null)) === version.imageHash && echoes.empty) {
      // DynamoDB writes no stream record for a write that changes nothing: nothing to write, no echo to wait for.
      this.applied(version);
      item.held.set(target, version);
      this.finish(item, target, version);
      return;
    }
    echoes.sent(version);
    try {
      const previous = await this.write(item, target, version, held?.image ?? null);
      this.applied(version);
      if (echoes.written(version, imageHash(previous) === version.imageHash)) {
        item.held.set(target, version);
        echoes.drainSilent().forEach((done) => this.finish(item, target, done));
      }
    } catch (error) {
      echoes.failed(version);
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        // The replica changed since its stream was last read: a local write, newer than anything seen so far.
        item.unread.add(target);
        this.counts.droppedByLww += 1;
        this.finish(item, target, version);
      } else if (!this.stopped) {
        this.report(error);
        this.schedule(item, target, version, this.pollIntervalMs * RETRY_POLL_INTERVALS);
      }
    }
  }

  private applied(version: SeenVersion): void {
    this.counts.replicated += 1;
    this.counts.maxLagMs = Math.max(this.counts.maxLagMs, performance.now() - version.seenAt);
  }

  /**
   * Writes the version's image (or deletes the item), on condition that the replica still holds `expected`, the
   * image replication last knew there; resolves to the image the write replaced.
   */
  private async write(item: ItemState, target: string, version: SeenVersion, expected: ItemImage): Promise<ItemImage> {
    const replica = this.replicas.find((r) => r.region === target)!;
    const condition = unchangedCondition(expected, replica.keyAttribute ?? Object.keys(item.keys)[0]);
    const common = { TableName: this.options.tableName, ReturnValues: 'ALL_OLD' as const, ...condition };
    const output = version.image
      ? await replica.client.send(new PutItemCommand({ ...common, Item: asAttributes(version.image) }))
      : await replica.client.send(new DeleteItemCommand({ ...common, Key: asAttributes(item.keys) }));
    return (output.Attributes as Record<string, StreamAttributeValue> | undefined) ?? null;
  }

  /** A pending version is done with in one replica: applied and seen, dropped, or superseded. */
  private finish(item: ItemState, target: string, version: SeenVersion): void {
    if (item.pending.get(target)?.delete(version)) {
      this.pendingCount -= 1;
      this.notify();
    }
  }
}

/**
 * A condition that holds only while the item still has every attribute of `expected` with the same value (or is
 * still absent). An attribute added by an unseen local write escapes it; converge() repairs that once it is seen.
 */
function unchangedCondition(expected: ItemImage, keyAttribute: string) {
  if (expected === null) {
    return { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': keyAttribute } };
  }
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const clauses = Object.keys(expected).map((name, i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = expected[name] as AttributeValue;
    return `#a${i} = :a${i}`;
  });
  return {
    ConditionExpression: clauses.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Stream images and request items share one wire shape; only the SDK packages' type names differ. */
function asAttributes(image: Record<string, StreamAttributeValue>): Record<string, AttributeValue> {
  return image as Record<string, AttributeValue>;
}

function checkDuration(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${name} must be a finite number of ms, 0 or more; got ${ms}`);
  }
  return ms;
}
