import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LocalCloudError } from '../errors';
import { LocalQueue, ReceivedMessage } from '../sqs';

export interface SqsEventSourceSettings {
  readonly queue: LocalQueue;
  /** 1–10,000; above 10 needs a batching window of at least 1 second (as CreateEventSourceMapping requires). */
  readonly batchSize: number;
  /** @default 0 - invoke as soon as messages are visible; 0–300 */
  readonly maximumBatchingWindowSeconds?: number;
  /** ScalingConfig.MaximumConcurrency, 2–1,000. @default - DEFAULT_MAXIMUM_CONCURRENCY */
  readonly maximumConcurrency?: number;
  /** FunctionResponseTypes includes ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
  /** @default true */
  readonly enabled?: boolean;
  /** The function's timeout; an invocation still running then counts as failed. @default 3 (Lambda's default) */
  readonly functionTimeoutSeconds?: number;
}

export interface SqsBatchInfo {
  readonly messageIds: readonly string[];
  /** `partial`: the function reported some messages as failed; they return after the visibility timeout. */
  readonly outcome: 'success' | 'partial' | 'failure';
  readonly failedMessageIds: readonly string[];
  readonly durationMs: number;
  /** Invocations of this mapping running when this one started, itself included. */
  readonly concurrency: number;
}

export interface EventSourceObserver<BatchInfo> {
  onBatch?(info: BatchInfo): void;
  /** A function error, timeout or invalid batch response (the batch is retried as AWS would). */
  onError?(error: Error): void;
}

export interface SqsEventSourceStats {
  readonly invocations: number;
  readonly failedInvocations: number;
  readonly messagesDeleted: number;
  /** Messages the function reported in batchItemFailures. */
  readonly reportedItemFailures: number;
  readonly inFlightInvocations: number;
  readonly maxObservedConcurrency: number;
}

export interface EventSourceHandle<Stats> {
  /** Stops polling and waits for the invocations in progress. */
  stop(): Promise<void>;
  /** Resolves when nothing is left to do now: no invocation running and nothing waiting that could be invoked. */
  idle(): Promise<void>;
  stats(): Stats;
}

/** Without ScalingConfig the account's concurrency (1,000 by default) is the only bound. */
export const DEFAULT_MAXIMUM_CONCURRENCY = 1000;
/** Lambda's default function timeout. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;

/** Base class of the errors the local event source mappings raise. */
export class EventSourceMappingError extends LocalCloudError {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A setting CreateEventSourceMapping would refuse (AWS answers InvalidParameterValueException). */
export class InvalidEventSourceMappingError extends EventSourceMappingError {
  constructor(
    readonly eventSource: string,
    detail: string,
  ) {
    super(`event source mapping for ${eventSource}: ${detail}`);
  }
}

export class FunctionTimeoutError extends EventSourceMappingError {
  constructor(readonly timeoutSeconds: number) {
    super(`the function did not finish within its timeout of ${timeoutSeconds} s: the batch is retried as failed`);
  }
}

/** A ReportBatchItemFailures response Lambda treats as the whole batch failing. */
export class InvalidBatchResponseError extends EventSourceMappingError {
  constructor(detail: string) {
    super(`invalid partial batch response (the whole batch counts as failed): ${detail}`);
  }
}

/** Checks an integer setting of CreateEventSourceMapping. */
export function checkMappingInteger(
  eventSource: string,
  field: string,
  value: number,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidEventSourceMappingError(
      eventSource,
      `${field} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Invokes the function, rejecting with FunctionTimeoutError when it runs longer than its timeout. */
export function invokeWithTimeout<Event>(
  invoke: (event: Event) => Promise<unknown>,
  event: Event,
  timeoutSeconds: number,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const invocation = Promise.resolve().then(() => invoke(event));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
  });
  // A timed-out invocation may still settle later; nobody listens any more.
  invocation.catch(() => undefined);
  return Promise.race([invocation, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The item identifiers of a ReportBatchItemFailures response. A null or empty response, or one without
 * `batchItemFailures`, means complete success; an identifier that is empty, missing or not in the batch makes
 * the whole response invalid (the success and failure conditions of "Implementing partial batch responses").
 */
export function parseBatchItemFailures(
  response: unknown,
  batchIdentifiers: ReadonlySet<string>,
  identifierName: string,
): string[] {
  if (response === undefined || response === null) return [];
  if (typeof response !== 'object' || Array.isArray(response)) {
    throw new InvalidBatchResponseError(
      `the function returned ${JSON.stringify(response)}, expected { batchItemFailures: [...] }`,
    );
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) throw new InvalidBatchResponseError('batchItemFailures is not a list');
  return failures.map((failure: unknown) => {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== 'string' || identifier === '') {
      throw new InvalidBatchResponseError(
        `${JSON.stringify(failure)} has no itemIdentifier (the ${identifierName} of a record)`,
      );
    }
    if (!batchIdentifiers.has(identifier)) {
      throw new InvalidBatchResponseError(
        `itemIdentifier '${identifier}' is not the ${identifierName} of a record in the batch`,
      );
    }
    return identifier;
  });
}

/**
 * Lambda's SQS event source mapping over a LocalQueue: receives when the queue says messages are visible (no
 * polling), invokes with at most `maximumConcurrency` batches at once, deletes what succeeded and leaves the
 * rest to come back after the visibility timeout (where the queue's redrive policy may move it to the DLQ).
 *
 * Not emulated: the 6 MB invocation payload limit, and Lambda's scaling down of pollers after function errors.
 */
export function startSqsEventSource(
  settings: SqsEventSourceSettings,
  invoke: (event: SQSEvent) => Promise<unknown>,
  observer: EventSourceObserver<SqsBatchInfo> = {},
): EventSourceHandle<SqsEventSourceStats> {
  const { queue } = settings;
  const source = `queue ${queue.name}`;
  const batchSize = checkMappingInteger(source, 'BatchSize', settings.batchSize, 1, 10_000);
  const windowSeconds = checkMappingInteger(
    source,
    'MaximumBatchingWindowInSeconds',
    settings.maximumBatchingWindowSeconds ?? 0,
    0,
    300,
  );
  if (batchSize > 10 && windowSeconds < 1) {
    throw new InvalidEventSourceMappingError(
      source,
      `BatchSize ${batchSize} is above 10: set MaximumBatchingWindowInSeconds to at least 1`,
    );
  }
  const maximumConcurrency =
    settings.maximumConcurrency === undefined
      ? DEFAULT_MAXIMUM_CONCURRENCY
      : checkMappingInteger(source, 'ScalingConfig.MaximumConcurrency', settings.maximumConcurrency, 2, 1000);
  const timeoutSeconds = checkMappingInteger(
    source,
    'function timeout',
    settings.functionTimeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS,
    1,
    900,
  );
  if (queue.settings.visibilityTimeoutSeconds < timeoutSeconds) {
    throw new InvalidEventSourceMappingError(
      source,
      `queue visibility timeout ${queue.settings.visibilityTimeoutSeconds} s is less than the function timeout ${timeoutSeconds} s ` +
        '(AWS refuses this mapping): raise the visibility timeout, AWS recommends six times the function timeout',
    );
  }

  let running = settings.enabled ?? true;
  let active = 0;
  let gathering: { messages: ReceivedMessage[]; timer?: NodeJS.Timeout } | undefined;
  const invocations = new Set<Promise<void>>();
  const idleWaiters: (() => void)[] = [];
  const counters = {
    invocations: 0,
    failedInvocations: 0,
    messagesDeleted: 0,
    reportedItemFailures: 0,
    maxObservedConcurrency: 0,
  };
  const unsubscribe = running ? queue.onAvailable(pump) : () => undefined;

  function receiveUpTo(count: number): ReceivedMessage[] {
    const messages: ReceivedMessage[] = [];
    while (messages.length < count) {
      const received = queue.receive({ maxNumberOfMessages: Math.min(10, count - messages.length) });
      if (received.length === 0) break;
      messages.push(...received);
    }
    return messages;
  }

  function pump(): void {
    // The local cloud closes its queues on shutdown, possibly before stopping the mappings.
    if (queue.closed) running = false;
    while (running && active < maximumConcurrency) {
      if (windowSeconds === 0) {
        const messages = receiveUpTo(batchSize);
        if (messages.length === 0) break;
        dispatch(messages);
        continue;
      }
      // With a batching window one batch gathers at a time, until it is full or the window ends.
      const more = receiveUpTo(batchSize - (gathering?.messages.length ?? 0));
      if (!gathering && more.length === 0) break;
      gathering ??= { messages: [] };
      gathering.messages.push(...more);
      if (gathering.messages.length >= batchSize) {
        flushGathering();
        continue;
      }
      gathering.timer ??= setTimeout(() => {
        flushGathering();
        pump();
      }, windowSeconds * 1000);
      break;
    }
    notifyIdle();
  }

  function flushGathering(): void {
    if (!gathering) return;
    clearTimeout(gathering.timer);
    const { messages } = gathering;
    gathering = undefined;
    if (messages.length > 0) dispatch(messages);
  }

  function dispatch(messages: ReceivedMessage[]): void {
    active += 1;
    counters.invocations += 1;
    counters.maxObservedConcurrency = Math.max(counters.maxObservedConcurrency, active);
    const invocation = runBatch(messages, active).finally(() => {
      invocations.delete(invocation);
      active -= 1;
      pump();
    });
    invocations.add(invocation);
  }

  async function runBatch(messages: ReceivedMessage[], concurrency: number): Promise<void> {
    const started = Date.now();
    const messageIds = messages.map((message) => message.messageId);
    let failed: ReadonlySet<string>;
    let failure: Error | undefined;
    try {
      const response = await invokeWithTimeout(invoke, toSqsEvent(queue, messages), timeoutSeconds);
      // Without ReportBatchItemFailures Lambda ignores whatever the function returns.
      failed = new Set(
        settings.reportBatchItemFailures ? parseBatchItemFailures(response, new Set(messageIds), 'message ID') : [],
      );
      counters.reportedItemFailures += failed.size;
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      failed = new Set(messageIds);
      counters.failedInvocations += 1;
    }
    for (const message of messages) {
      if (failed.has(message.messageId)) continue;
      try {
        queue.delete(message.receiptHandle);
        counters.messagesDeleted += 1;
      } catch (error) {
        observer.onError?.(error as Error);
      }
    }
    observer.onBatch?.({
      messageIds,
      outcome: failure ? 'failure' : failed.size > 0 ? 'partial' : 'success',
      failedMessageIds: [...failed],
      durationMs: Date.now() - started,
      concurrency,
    });
    if (failure) observer.onError?.(failure);
  }

  function isIdle(): boolean {
    if (active > 0 || gathering) return false;
    return !running || queue.closed || queue.counts().visible === 0;
  }

  function notifyIdle(): void {
    if (idleWaiters.length === 0 || !isIdle()) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  return {
    async stop() {
      running = false;
      unsubscribe();
      if (gathering) {
        clearTimeout(gathering.timer);
        // Gathered but never invoked: visible again now rather than after the visibility timeout.
        for (const message of queue.closed ? [] : gathering.messages) {
          try {
            queue.changeVisibility(message.receiptHandle, 0);
          } catch {
            // Its visibility timeout already ended: it is visible again anyway.
          }
        }
        gathering = undefined;
      }
      await Promise.all([...invocations]);
      notifyIdle();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIdle();
      });
    },
    stats: () => ({ ...counters, inFlightInvocations: active }),
  };
}

function toSqsEvent(queue: LocalQueue, messages: readonly ReceivedMessage[]): SQSEvent {
  return {
    Records: messages.map((message): SQSRecord => ({
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: { ...message.attributes },
      messageAttributes: toLambdaAttributes(message),
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: queue.settings.region,
    })),
  };
}

/** Lambda delivers message attributes in lowercase keys, binary values base64-encoded. */
function toLambdaAttributes(message: ReceivedMessage): SQSMessageAttributes {
  const attributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    attributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  return attributes;
}
