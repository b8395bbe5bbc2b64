import { randomUUID } from 'node:crypto';
import {
  AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  Shard,
  ShardIteratorType,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { NotEmulatedError } from '../errors';
import {
  checkMappingInteger,
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
  EventSourceHandle,
  EventSourceObserver,
  invokeWithTimeout,
  parseBatchItemFailures,
} from './sqs-event-source';

export interface StreamEventSourceSettings {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  /** The region the records are reported in (`awsRegion`); DynamoDB Local reports its own. */
  readonly region: string;
  /** 1–10,000 (Lambda's default for DynamoDB is 100). */
  readonly batchSize: number;
  /** Where shards that exist when the mapping starts are read from; shards that appear later are read whole. */
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** @default 0; 0–300 */
  readonly maximumBatchingWindowSeconds?: number;
  /** @default false */
  readonly bisectBatchOnFunctionError?: boolean;
  /** @default -1 (retry until the record expires); -1 or 0–10,000 */
  readonly maximumRetryAttempts?: number;
  /** @default -1 (no limit); -1 or 60–604,800 */
  readonly maximumRecordAgeSeconds?: number;
  /** @default false */
  readonly reportBatchItemFailures?: boolean;
  /** DestinationConfig.OnFailure: receives the invocation record (metadata, not the records) of each discarded batch. */
  readonly onFailure?: (invocationRecord: StreamInvocationRecord) => Promise<void>;
  /** How long a caught-up shard waits before the next GetRecords. @default 25 (Lambda polls 4 times a second) */
  readonly pollIntervalMs?: number;
  /** @default true */
  readonly enabled?: boolean;
  /** @default 3 (Lambda's default) */
  readonly functionTimeoutSeconds?: number;
  /** Reported in the invocation record. @default - a local function ARN in `region` */
  readonly functionArn?: string;
  /** Only 1 is emulated. @default 1 */
  readonly parallelizationFactor?: number;
  /** Tumbling windows are not emulated: any value is refused. */
  readonly tumblingWindowSeconds?: number;
  /** How often DescribeStream looks for new shards (a closing shard also triggers a look). @default 1000 */
  readonly shardDiscoveryIntervalMs?: number;
  /** The clock record ages are measured with. @default Date */
  readonly clock?: { now(): number };
}

/** The invocation record Lambda sends to an OnFailure destination for a DynamoDB stream. */
export interface StreamInvocationRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    readonly approximateInvokeCount: number;
  };
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

export interface StreamBatchInfo {
  readonly shardId: string;
  readonly sequenceNumbers: readonly string[];
  /** `partial`: the function reported a failed record; the shard resumes from it. */
  readonly outcome: 'success' | 'partial' | 'failure';
  readonly durationMs: number;
}

export interface StreamEventSourceStats {
  readonly invocations: number;
  readonly failedInvocations: number;
  readonly recordsSucceeded: number;
  /** Records given up on (sent to onFailure, or dropped without one). */
  readonly recordsDiscarded: number;
  readonly shardsReading: number;
  readonly shardsFinished: number;
}

export interface StreamEventSourceHandle extends EventSourceHandle<StreamEventSourceStats> {
  /** Resolves once the shards that exist at start have their iterators: with LATEST, later writes are delivered. */
  ready(): Promise<void>;
}

const MAX_RETRY_DELAY_MS = 1000;
/** GetRecords returns at most 1,000 records. */
const GET_RECORDS_LIMIT = 1000;

interface ShardState {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  status: 'waiting' | 'reading' | 'finished';
  /** GetRecords calls started so far. */
  fetches: number;
  /** The call that last found the shard caught up (nothing buffered, nothing new). */
  caughtUpAtFetch: number;
  readonly iteratorReady: Promise<void>;
  markIteratorReady(): void;
}

interface BatchOutcome {
  /** Records at the head of the buffer that are done with (succeeded or discarded). */
  readonly consumed: number;
  /** Sizes of the next batches to take from the head (a retry, or bisected halves). */
  readonly next: readonly number[];
  /** Forget planned batch sizes (records were discarded from the head). */
  readonly replan?: boolean;
}

/**
 * Lambda's DynamoDB Streams event source mapping: one reader per shard, a child shard only after its parent
 * is read to the end, records in order, and the documented error handling: retry the same batch, bisect it on
 * function errors (without using up retries), checkpoint at the first reported failure, and give up after
 * MaximumRetryAttempts or MaximumRecordAgeInSeconds, sending the batch's metadata to OnFailure.
 *
 * Local choices: failed batches are retried after a growing pause (pollIntervalMs doubling up to 1 s) so a
 * poison record with unlimited retries does not spin; an onFailure that throws is reported and the shard moves on.
 */
export function startStreamEventSource(
  settings: StreamEventSourceSettings,
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>,
  observer: EventSourceObserver<StreamBatchInfo> = {},
): StreamEventSourceHandle {
  const source = `stream ${settings.streamArn}`;
  const batchSize = checkMappingInteger(source, 'BatchSize', settings.batchSize, 1, 10_000);
  const windowMs =
    checkMappingInteger(source, 'MaximumBatchingWindowInSeconds', settings.maximumBatchingWindowSeconds ?? 0, 0, 300) *
    1000;
  const maxRetries = checkMappingInteger(
    source,
    'MaximumRetryAttempts',
    settings.maximumRetryAttempts ?? -1,
    -1,
    10_000,
  );
  const maxAgeSeconds = settings.maximumRecordAgeSeconds ?? -1;
  if (maxAgeSeconds !== -1) checkMappingInteger(source, 'MaximumRecordAgeInSeconds', maxAgeSeconds, 60, 604_800);
  const timeoutSeconds = checkMappingInteger(
    source,
    'function timeout',
    settings.functionTimeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS,
    1,
    900,
  );
  if (checkMappingInteger(source, 'ParallelizationFactor', settings.parallelizationFactor ?? 1, 1, 10) > 1) {
    // Concurrent batches per shard would need per-key ordering; use 1 locally.
    throw new NotEmulatedError(source, 'ParallelizationFactor above 1');
  }
  if (settings.tumblingWindowSeconds !== undefined) {
    throw new NotEmulatedError(source, 'TumblingWindowInSeconds');
  }
  const pollIntervalMs = settings.pollIntervalMs ?? 25;
  const discoveryIntervalMs = settings.shardDiscoveryIntervalMs ?? 1000;
  const clock = settings.clock ?? Date;
  const functionArn = settings.functionArn ?? `arn:aws:lambda:${settings.region}:000000000000:function:local`;
  const { streams, streamArn } = settings;

  let running = settings.enabled ?? true;
  const shards = new Map<string, ShardState>();
  const readers = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  const idleWaiters: { readonly since: ReadonlyMap<string, number>; readonly resolve: () => void }[] = [];
  const counters = { invocations: 0, failedInvocations: 0, recordsSucceeded: 0, recordsDiscarded: 0 };
  const fetchedAt = new WeakMap<_Record, number>();
  let discovering: Promise<void> | undefined;
  let discoveryTimer: NodeJS.Timeout | undefined;

  function reportError(error: unknown): void {
    observer.onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  async function describeShards(): Promise<Shard[]> {
    const all: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      all.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return all;
  }

  function discover(initial: boolean): Promise<void> {
    discovering ??= (async () => {
      try {
        for (const shard of await describeShards()) {
          if (!shard.ShardId || shards.has(shard.ShardId)) continue;
          const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
          const state = newShardState(shard, initial ? settings.startingPosition : 'TRIM_HORIZON');
          // With LATEST, a shard already closed at start has nothing new to deliver.
          if (initial && settings.startingPosition === 'LATEST' && closed) finish(state);
          shards.set(state.shardId, state);
        }
        startReadyShards();
      } catch (error) {
        reportError(error);
      } finally {
        discovering = undefined;
        notifyIdle();
      }
    })();
    return discovering;
  }

  function newShardState(shard: Shard, startingPosition: 'LATEST' | 'TRIM_HORIZON'): ShardState {
    let markIteratorReady!: () => void;
    const iteratorReady = new Promise<void>((resolve) => (markIteratorReady = resolve));
    return {
      shardId: shard.ShardId!,
      parentShardId: shard.ParentShardId,
      startingPosition,
      status: 'waiting',
      fetches: 0,
      caughtUpAtFetch: -1,
      iteratorReady,
      markIteratorReady,
    };
  }

  function finish(shard: ShardState): void {
    shard.status = 'finished';
    shard.markIteratorReady();
  }

  function startReadyShards(): void {
    for (const shard of shards.values()) {
      if (!running || shard.status !== 'waiting') continue;
      const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
      // A parent trimmed from the stream (not described any more) counts as read.
      if (parent && parent.status !== 'finished') continue;
      shard.status = 'reading';
      const reader = readShard(shard)
        .catch(reportError)
        .finally(() => {
          readers.delete(reader);
          finish(shard);
          startReadyShards();
          notifyIdle();
        });
      readers.add(reader);
    }
  }

  async function iteratorFor(
    shard: ShardState,
    type: ShardIteratorType,
    sequenceNumber?: string,
  ): Promise<string | undefined> {
    for (let attempt = 0; running; attempt += 1) {
      try {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.shardId,
            ShardIteratorType: type,
            SequenceNumber: sequenceNumber,
          }),
        );
        return ShardIterator;
      } catch (error) {
        reportError(error);
        await sleep(retryDelay(attempt));
      }
    }
    return undefined;
  }

  function retryDelay(failures: number): number {
    return Math.min(MAX_RETRY_DELAY_MS, pollIntervalMs * 2 ** Math.min(failures, 10));
  }

  async function readShard(shard: ShardState): Promise<void> {
    let iterator = await iteratorFor(shard, shard.startingPosition);
    shard.markIteratorReady();
    const buffer: _Record[] = [];
    let planned: number[] = [];
    let lastFetched: string | undefined;
    let closed = iterator === undefined;
    let bufferedSince = 0;
    let fetchFailures = 0;
    const head = { failures: 0, lastFunctionError: false };

    while (running) {
      let fetch = -1;
      if (!closed && buffer.length < batchSize) {
        fetch = shard.fetches += 1;
        try {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }));
          fetchFailures = 0;
          const records = page.Records ?? [];
          if (records.length > 0) {
            const now = clock.now();
            if (buffer.length === 0) bufferedSince = now;
            for (const record of records) fetchedAt.set(record, now);
            buffer.push(...records);
            lastFetched = records[records.length - 1].dynamodb?.SequenceNumber;
          }
          iterator = page.NextShardIterator;
          closed = iterator === undefined;
        } catch (error) {
          const name = (error as Error).name;
          if (name === 'ExpiredIteratorException') {
            iterator = lastFetched
              ? await iteratorFor(shard, 'AFTER_SEQUENCE_NUMBER', lastFetched)
              : await iteratorFor(shard, shard.startingPosition);
          } else if (name === 'TrimmedDataAccessException') {
            iterator = await iteratorFor(shard, 'TRIM_HORIZON');
          } else {
            reportError(error);
            await sleep(retryDelay(fetchFailures));
            fetchFailures += 1;
          }
          continue;
        }
      }
      if (buffer.length === 0) {
        if (closed) break;
        if (fetch >= 0) {
          shard.caughtUpAtFetch = fetch;
          notifyIdle();
        }
        await sleep(pollIntervalMs);
        continue;
      }
      const windowLeft = bufferedSince + windowMs - clock.now();
      if (windowMs > 0 && planned.length === 0 && !closed && buffer.length < batchSize && windowLeft > 0) {
        await sleep(Math.min(pollIntervalMs, windowLeft));
        continue;
      }
      const size = Math.min(planned.shift() ?? batchSize, buffer.length);
      const outcome = await processBatch(shard, buffer.slice(0, size), head);
      buffer.splice(0, outcome.consumed);
      if (buffer.length > 0) bufferedSince = clock.now();
      planned = outcome.replan ? [] : [...outcome.next, ...planned];
      if (outcome.consumed < size && running) await sleep(retryDelay(head.failures));
    }
    // A closed shard's children may be waiting for it; look for them now rather than at the next interval.
    if (closed && running) void discover(false);
  }

  async function processBatch(
    shard: ShardState,
    records: _Record[],
    head: { failures: number; lastFunctionError: boolean },
  ): Promise<BatchOutcome> {
    if (maxAgeSeconds !== -1) {
      const now = clock.now();
      const fresh = records.findIndex((record) => now - writtenAt(record) <= maxAgeSeconds * 1000);
      const aged = fresh === -1 ? records : records.slice(0, fresh);
      if (aged.length > 0) {
        await discard(shard, aged, 'RecordAgeExceeded', head);
        return { consumed: aged.length, next: [], replan: true };
      }
    }

    const sequenceNumbers = records.map((record) => record.dynamodb?.SequenceNumber ?? '');
    const started = Date.now();
    counters.invocations += 1;
    let failedAt = -1;
    let failure: Error | undefined;
    let functionError = false;
    try {
      const response = await invokeWithTimeout(
        invoke,
        toStreamEvent(records, settings.region, streamArn),
        timeoutSeconds,
      );
      if (settings.reportBatchItemFailures) {
        const reported = parseBatchItemFailures(response, new Set(sequenceNumbers), 'SequenceNumber');
        // Several failures: the checkpoint is the lowest sequence number.
        if (reported.length > 0) {
          failedAt = Math.min(...reported.map((sequenceNumber) => sequenceNumbers.indexOf(sequenceNumber)));
        }
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      functionError = failure.name !== 'InvalidBatchResponseError';
      failedAt = 0;
    }
    observer.onBatch?.({
      shardId: shard.shardId,
      sequenceNumbers,
      outcome: failedAt === -1 ? 'success' : failure ? 'failure' : 'partial',
      durationMs: Date.now() - started,
    });
    if (failure) reportError(failure);
    if (failedAt === -1) {
      counters.recordsSucceeded += records.length;
      head.failures = 0;
      return { consumed: records.length, next: [] };
    }

    counters.failedInvocations += 1;
    counters.recordsSucceeded += failedAt;
    head.failures = failedAt > 0 ? 1 : head.failures + 1;
    head.lastFunctionError = functionError;
    const remaining = records.slice(failedAt);
    if (failure && settings.bisectBatchOnFunctionError && records.length > 1) {
      // Splitting does not count towards the retry quota.
      head.failures -= 1;
      const half = Math.ceil(records.length / 2);
      return { consumed: 0, next: [half, records.length - half] };
    }
    if (maxRetries !== -1 && head.failures > maxRetries) {
      await discard(shard, remaining, 'RetryAttemptsExhausted', head);
      return { consumed: records.length, next: [] };
    }
    // An error retries the same batch; a reported failure retries from the checkpoint (with bisect: only the rest).
    const retryWhole = failure !== undefined || settings.bisectBatchOnFunctionError;
    return { consumed: failedAt, next: retryWhole ? [remaining.length] : [] };
  }

  async function discard(
    shard: ShardState,
    records: readonly _Record[],
    condition: StreamInvocationRecord['requestContext']['condition'],
    head: { failures: number; lastFunctionError: boolean },
  ): Promise<void> {
    counters.recordsDiscarded += records.length;
    const invocationRecord: StreamInvocationRecord = {
      requestContext: { requestId: randomUUID(), functionArn, condition, approximateInvokeCount: head.failures },
      ...(head.failures > 0
        ? {
            responseContext: {
              statusCode: 200,
              executedVersion: '$LATEST',
              ...(head.lastFunctionError ? { functionError: 'Unhandled' } : {}),
            },
          }
        : {}),
      version: '1.0',
      timestamp: new Date(clock.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.shardId,
        startSequenceNumber: records[0].dynamodb?.SequenceNumber ?? '',
        endSequenceNumber: records[records.length - 1].dynamodb?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: isoSeconds(createdAt(records[0])),
        approximateArrivalOfLastRecord: isoSeconds(createdAt(records[records.length - 1])),
        batchSize: records.length,
        streamArn,
      },
    };
    head.failures = 0;
    try {
      await settings.onFailure?.(invocationRecord);
    } catch (error) {
      reportError(error);
    }
  }

  /**
   * When a record was written, as well as we can tell: DynamoDB Local truncates ApproximateCreationDateTime to
   * the minute, so a record is at most a minute younger than it says, and no younger than when it was read.
   */
  function writtenAt(record: _Record): number {
    return Math.min(fetchedAt.get(record) ?? Infinity, createdAt(record) + 60_000);
  }

  function isIdle(since: ReadonlyMap<string, number>): boolean {
    if (!running) return true;
    if (discovering) return false;
    for (const shard of shards.values()) {
      if (shard.status === 'finished') continue;
      if (shard.status === 'waiting' || shard.caughtUpAtFetch <= (since.get(shard.shardId) ?? 0)) return false;
    }
    return true;
  }

  function notifyIdle(): void {
    for (let i = idleWaiters.length - 1; i >= 0; i -= 1) {
      const waiter = idleWaiters[i];
      if (!running || isIdle(waiter.since)) {
        idleWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  const initialDiscovery = running ? discover(true) : Promise.resolve();
  if (running) {
    const scheduleDiscovery = () => {
      discoveryTimer = setTimeout(() => {
        void discover(false).finally(() => running && scheduleDiscovery());
      }, discoveryIntervalMs);
    };
    scheduleDiscovery();
  }

  return {
    async ready() {
      await initialDiscovery;
      await Promise.all([...shards.values()].map((shard) => shard.iteratorReady));
    },
    async stop() {
      running = false;
      clearTimeout(discoveryTimer);
      for (const wake of [...sleepers]) wake();
      await Promise.all([discovering, ...readers]);
      notifyIdle();
    },
    idle() {
      return new Promise<void>((resolve) => {
        // Caught up means a GetRecords that started after this call found nothing new.
        const since = new Map([...shards.values()].map((shard) => [shard.shardId, shard.fetches]));
        idleWaiters.push({ since, resolve });
        notifyIdle();
      });
    },
    stats: () => ({
      ...counters,
      shardsReading: [...shards.values()].filter((shard) => shard.status === 'reading').length,
      shardsFinished: [...shards.values()].filter((shard) => shard.status === 'finished').length,
    }),
  };
}

function createdAt(record: _Record): number {
  return record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? 0;
}

/** The invocation record's arrival times: ISO 8601 to the second ("2019-11-14T00:13:19Z"). */
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Records as Lambda delivers them: JSON attribute values (binary as base64), creation time in epoch seconds. */
function toStreamEvent(records: readonly _Record[], region: string, streamArn: string): DynamoDBStreamEvent {
  return {
    Records: records.map((record): DynamoDBRecord => {
      const stream = record.dynamodb ?? {};
      return withoutUndefined({
        eventID: record.eventID,
        eventName: record.eventName,
        eventVersion: record.eventVersion,
        eventSource: 'aws:dynamodb',
        awsRegion: region,
        dynamodb: withoutUndefined({
          ApproximateCreationDateTime: stream.ApproximateCreationDateTime
            ? Math.floor(stream.ApproximateCreationDateTime.getTime() / 1000)
            : undefined,
          Keys: toJsonImage(stream.Keys),
          NewImage: toJsonImage(stream.NewImage),
          OldImage: toJsonImage(stream.OldImage),
          SequenceNumber: stream.SequenceNumber,
          SizeBytes: stream.SizeBytes,
          StreamViewType: stream.StreamViewType,
        }),
        eventSourceARN: streamArn,
        userIdentity: record.userIdentity,
      });
    }),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function toJsonImage(
  image: Record<string, AttributeValue> | undefined,
): Record<string, LambdaAttributeValue> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toJsonValue(value)]));
}

function toJsonValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.M !== undefined) return { M: toJsonImage(value.M)! };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  return value as LambdaAttributeValue;
}
