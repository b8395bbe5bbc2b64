import { createHash, randomUUID } from 'node:crypto';
import { NotEmulatedError } from '../errors';
import { SqsError, SqsErrorCode } from './errors';

/** A message attribute as SendMessage takes it (the SDK's `MessageAttributeValue`). */
export interface SqsMessageAttribute {
  /** `String`, `Number` or `Binary`, optionally with a custom suffix (`String.json`). */
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

export interface QueueSettings {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly region: string;
  /** 0–43,200 (12 hours); AWS's default is 30. */
  readonly visibilityTimeoutSeconds: number;
  /** @default 345,600 (4 days); 60–1,209,600 */
  readonly messageRetentionSeconds?: number;
  /** @default 0; 0–900 */
  readonly delaySeconds?: number;
  /** @default 1,048,576 (1 MiB, the SendMessage maximum); 1,024–1,048,576 */
  readonly maximumMessageSizeBytes?: number;
  /** @default - no dead-letter queue: messages are received again and again until deleted or expired */
  readonly redrive?: { readonly deadLetterQueue: LocalQueue; readonly maxReceiveCount: number };
}

export interface SendMessageInput {
  readonly body: string;
  /** At most 10; they count towards the message size. */
  readonly attributes?: Readonly<Record<string, SqsMessageAttribute>>;
  /** @default - the queue's delaySeconds */
  readonly delaySeconds?: number;
  /** The IAM user or role id ReceiveMessage reports as SenderId. @default DEFAULT_SENDER_ID */
  readonly senderId?: string;
}

export interface SendMessageResult {
  readonly messageId: string;
  readonly md5OfBody: string;
}

export interface SendMessageBatchEntry extends SendMessageInput {
  /** Unique within the request: up to 80 letters, digits, hyphens and underscores. */
  readonly id: string;
}

export interface SendMessageBatchResult {
  readonly successful: readonly (SendMessageResult & { readonly id: string })[];
  readonly failed: readonly {
    readonly id: string;
    readonly code: SqsErrorCode;
    readonly message: string;
    readonly senderFault: true;
  }[];
}

export interface ReceiveOptions {
  /** @default 1; 1–10 */
  readonly maxNumberOfMessages?: number;
  /** @default - the queue's visibilityTimeoutSeconds */
  readonly visibilityTimeoutSeconds?: number;
}

/** System attributes as ReceiveMessage returns them with `MessageSystemAttributeNames: ['All']` (strings, epoch ms). */
export interface ReceivedMessageAttributes {
  readonly ApproximateReceiveCount: string;
  readonly SentTimestamp: string;
  readonly SenderId: string;
  readonly ApproximateFirstReceiveTimestamp: string;
  /** Set on messages the redrive policy of another queue moved here. */
  readonly DeadLetterQueueSourceArn?: string;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: ReceivedMessageAttributes;
  readonly messageAttributes: Readonly<Record<string, SqsMessageAttribute>>;
}

export interface QueueCounts {
  /** ApproximateNumberOfMessages */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed */
  readonly delayed: number;
}

export interface Clock {
  now(): number;
}

/** The SenderId of messages sent without one (shaped like an IAM user id). */
export const DEFAULT_SENDER_ID = 'AIDALOCALCLOUDSENDER0';

/** SendMessage's hard limit since 2025 (it was 256 KiB); also the size of a whole SendMessageBatch request. */
export const MAX_MESSAGE_BYTES = 1_048_576;
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_DELAY_SECONDS = 900;
const MAX_ATTRIBUTES = 10;
const MAX_BATCH_ENTRIES = 10;
const DEFAULT_RETENTION_SECONDS = 345_600;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const RESERVED_ATTRIBUTE_PREFIX = /^(aws\.|amazon\.)/i;
const ATTRIBUTE_DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;
// The characters SendMessage accepts (W3C XML Char); anything else is InvalidMessageContents.
const INVALID_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** @internal */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: Readonly<Record<string, SqsMessageAttribute>>;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly deadLetterQueueSourceArn?: string;
  /** Counts across queues: a redriven message keeps its count, as ApproximateReceiveCount does in AWS. */
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** When the current receive started: ChangeMessageVisibility cannot extend past 12 hours from it. */
  receivedAt?: number;
  /** Only the latest receipt handle deletes the message. */
  receiptHandle?: string;
  /** Delayed (never received) or in flight until then. */
  visibleAt: number;
}

/**
 * A standard SQS queue in this process: at-least-once delivery, visibility timeouts, delays, retention and a
 * redrive policy, with AWS's error names. Event-driven: a message becoming visible wakes the `onAvailable`
 * listeners (coalesced into one microtask), and the only timer is the one for the next hidden message to
 * become visible, so thousands of idle queues cost nothing.
 *
 * DeleteMessage with a stale receipt handle (the message was received again since) succeeds without deleting
 * the message, as the DeleteMessage reference documents; ChangeMessageVisibility with one is refused.
 */
export class LocalQueue {
  private readonly messages = new Map<string, StoredMessage>();
  /** Visible messages, oldest first (a Set keeps insertion order and deletes in O(1)). */
  private readonly visible = new Set<StoredMessage>();
  /** Delayed and in-flight messages. */
  private readonly hidden = new Set<StoredMessage>();
  private readonly listeners = new Set<() => void>();
  private readonly waiters = new Set<() => void>();
  private readonly retentionMs: number;
  private readonly delaySeconds: number;
  private readonly maximumMessageSizeBytes: number;
  private nextDueAt = Infinity;
  private timer?: NodeJS.Timeout;
  private notifyScheduled = false;
  private receiveSerial = 0;
  private isClosed = false;

  constructor(
    readonly settings: QueueSettings,
    private readonly clock: Clock = Date,
  ) {
    if (settings.name.endsWith('.fifo')) {
      throw new NotEmulatedError(
        `queue '${settings.name}'`,
        'a FIFO queue (only standard queues are; run FIFO queues against AWS)',
      );
    }
    this.checkInteger(
      'VisibilityTimeout',
      settings.visibilityTimeoutSeconds,
      0,
      MAX_VISIBILITY_SECONDS,
      'InvalidAttributeValue',
    );
    this.retentionMs =
      this.checkInteger(
        'MessageRetentionPeriod',
        settings.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS,
        60,
        1_209_600,
        'InvalidAttributeValue',
      ) * 1000;
    this.delaySeconds = this.checkInteger(
      'DelaySeconds',
      settings.delaySeconds ?? 0,
      0,
      MAX_DELAY_SECONDS,
      'InvalidAttributeValue',
    );
    this.maximumMessageSizeBytes = this.checkInteger(
      'MaximumMessageSize',
      settings.maximumMessageSizeBytes ?? MAX_MESSAGE_BYTES,
      1024,
      MAX_MESSAGE_BYTES,
      'InvalidAttributeValue',
    );
    if (settings.redrive) {
      this.checkInteger(
        'RedrivePolicy.maxReceiveCount',
        settings.redrive.maxReceiveCount,
        1,
        1000,
        'InvalidAttributeValue',
      );
    }
  }

  get name(): string {
    return this.settings.name;
  }

  get arn(): string {
    return this.settings.arn;
  }

  /** After close(), every request fails with QueueDoesNotExist. */
  get closed(): boolean {
    return this.isClosed;
  }

  send(input: SendMessageInput): SendMessageResult {
    this.assertOpen();
    const delaySeconds = this.checkInteger(
      'DelaySeconds',
      input.delaySeconds ?? this.delaySeconds,
      0,
      MAX_DELAY_SECONDS,
    );
    this.checkBody(input.body);
    const messageAttributes = this.checkAttributes(input.attributes ?? {});
    const size = messageSize(input.body, messageAttributes);
    if (size > this.maximumMessageSizeBytes) {
      throw new SqsError(
        'MessageTooLong',
        this.name,
        `the message is ${size} bytes (body and attributes), over the queue's MaximumMessageSize of ` +
          `${this.maximumMessageSizeBytes}: store large payloads elsewhere (S3) and send a reference`,
      );
    }
    const now = this.clock.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5(input.body),
      messageAttributes,
      sentTimestamp: now,
      senderId: input.senderId ?? DEFAULT_SENDER_ID,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
    };
    this.messages.set(message.messageId, message);
    if (delaySeconds === 0) this.makeVisible(message);
    else this.hide(message);
    return { messageId: message.messageId, md5OfBody: message.md5OfBody };
  }

  /** SendMessageBatch: request-level problems throw; a bad entry fails alone, the others are sent. */
  sendBatch(entries: readonly SendMessageBatchEntry[]): SendMessageBatchResult {
    this.assertOpen();
    if (entries.length === 0) throw new SqsError('EmptyBatchRequest', this.name, 'the batch has no entries');
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new SqsError(
        'TooManyEntriesInBatchRequest',
        this.name,
        `${entries.length} entries, at most ${MAX_BATCH_ENTRIES} per batch`,
      );
    }
    const ids = new Set<string>();
    let totalBytes = 0;
    for (const entry of entries) {
      if (!BATCH_ENTRY_ID.test(entry.id)) {
        throw new SqsError(
          'InvalidBatchEntryId',
          this.name,
          `entry id '${entry.id}' must match ${BATCH_ENTRY_ID.source}`,
        );
      }
      if (ids.has(entry.id)) {
        throw new SqsError('BatchEntryIdsNotDistinct', this.name, `entry id '${entry.id}' is used twice`);
      }
      ids.add(entry.id);
      totalBytes += messageSize(entry.body, entry.attributes ?? {});
    }
    if (totalBytes > MAX_MESSAGE_BYTES) {
      throw new SqsError(
        'BatchRequestTooLong',
        this.name,
        `the batch is ${totalBytes} bytes, over ${MAX_MESSAGE_BYTES} for all entries together`,
      );
    }
    const successful: (SendMessageResult & { id: string })[] = [];
    const failed: { id: string; code: SqsErrorCode; message: string; senderFault: true }[] = [];
    for (const entry of entries) {
      try {
        successful.push({ id: entry.id, ...this.send(entry) });
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        failed.push({ id: entry.id, code: error.name, message: error.message, senderFault: true });
      }
    }
    return { successful, failed };
  }

  /**
   * ReceiveMessage without waiting (every visible message is a candidate, unlike AWS's sampling short poll).
   * A message already received maxReceiveCount times moves to the dead-letter queue instead of being returned.
   */
  receive(options: ReceiveOptions = {}): ReceivedMessage[] {
    this.assertOpen();
    const max = this.checkInteger('MaxNumberOfMessages', options.maxNumberOfMessages ?? 1, 1, 10);
    const visibilityMs =
      this.checkInteger(
        'VisibilityTimeout',
        options.visibilityTimeoutSeconds ?? this.settings.visibilityTimeoutSeconds,
        0,
        MAX_VISIBILITY_SECONDS,
      ) * 1000;
    const now = this.clock.now();
    this.revealDue(now);
    const received: ReceivedMessage[] = [];
    for (const message of this.visible) {
      if (received.length === max) break;
      this.visible.delete(message);
      if (this.isExpired(message, now)) {
        this.messages.delete(message.messageId);
        continue;
      }
      const redrive = this.settings.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.messages.delete(message.messageId);
        redrive.deadLetterQueue.acceptRedriven(message, this.arn);
        continue;
      }
      this.receiveSerial += 1;
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.receivedAt = now;
      message.receiptHandle = Buffer.from(`${this.arn}\n${message.messageId}\n${this.receiveSerial}`).toString(
        'base64url',
      );
      message.visibleAt = now + visibilityMs;
      this.hide(message);
      received.push(toReceived(message));
    }
    return received;
  }

  /** ReceiveMessage with WaitTimeSeconds (long polling): answers as soon as a message is visible. */
  async receiveWithWait(options: ReceiveOptions & { readonly waitTimeSeconds: number }): Promise<ReceivedMessage[]> {
    const waitSeconds = this.checkInteger('WaitTimeSeconds', options.waitTimeSeconds, 0, 20);
    const first = this.receive(options);
    if (first.length > 0 || waitSeconds === 0) return first;
    return new Promise((resolve) => {
      const finish = (messages: ReceivedMessage[]) => {
        clearTimeout(timeout);
        unsubscribe();
        this.waiters.delete(abandon);
        resolve(messages);
      };
      const abandon = () => finish([]);
      const unsubscribe = this.onAvailable(() => {
        const messages = this.receive(options);
        if (messages.length > 0) finish(messages);
      });
      const timeout = setTimeout(abandon, waitSeconds * 1000);
      this.waiters.add(abandon);
    });
  }

  /** DeleteMessage. Deleting an already deleted message, or with a stale receipt handle, succeeds and changes nothing. */
  delete(receiptHandle: string): void {
    this.assertOpen();
    const message = this.messages.get(this.messageIdOf(receiptHandle));
    if (!message || message.receiptHandle !== receiptHandle) return;
    this.messages.delete(message.messageId);
    this.visible.delete(message);
    this.hidden.delete(message);
  }

  /** ChangeMessageVisibility: the new timeout counts from now; 0 makes the message visible at once. */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    this.assertOpen();
    const seconds = this.checkInteger('VisibilityTimeout', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_SECONDS);
    const message = this.messages.get(this.messageIdOf(receiptHandle));
    if (!message || message.receiptHandle !== receiptHandle) {
      throw new SqsError(
        'InvalidParameterValue',
        this.name,
        'the receipt handle has expired (the message was deleted or received again): use the latest receipt handle',
      );
    }
    const now = this.clock.now();
    if (message.visibleAt <= now) {
      throw new SqsError(
        'MessageNotInflight',
        this.name,
        `message ${message.messageId} is visible again: receive it first`,
      );
    }
    const visibleAt = now + seconds * 1000;
    if (visibleAt - (message.receivedAt ?? now) > MAX_VISIBILITY_SECONDS * 1000) {
      throw new SqsError(
        'InvalidParameterValue',
        this.name,
        `a message stays invisible at most 12 hours after it was received`,
      );
    }
    message.visibleAt = visibleAt;
    if (seconds === 0) {
      this.hidden.delete(message);
      this.makeVisible(message);
    } else {
      this.hide(message);
    }
  }

  counts(): QueueCounts {
    this.assertOpen();
    const now = this.clock.now();
    this.revealDue(now);
    for (const message of this.messages.values()) {
      if (this.isExpired(message, now)) this.forget(message);
    }
    let inFlight = 0;
    for (const message of this.hidden) if (message.receiveCount > 0) inFlight += 1;
    return { visible: this.visible.size, inFlight, delayed: this.hidden.size - inFlight };
  }

  /** Calls `listener` (in a microtask) whenever messages become visible; returns the unsubscribe function. */
  onAvailable(listener: () => void): () => void {
    this.assertOpen();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops every message, timer and listener; long polls in progress answer with no messages. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    clearTimeout(this.timer);
    this.listeners.clear();
    for (const abandon of [...this.waiters]) abandon();
    this.messages.clear();
    this.visible.clear();
    this.hidden.clear();
  }

  /**
   * Takes a message the source queue's redrive policy moved here: same id, body, attributes, receive count and
   * sent timestamp (retention still counts from the original send, as AWS does for standard queues).
   * @internal
   */
  acceptRedriven(message: StoredMessage, sourceArn: string): void {
    if (this.isClosed) return;
    const moved: StoredMessage = {
      ...message,
      deadLetterQueueSourceArn: sourceArn,
      receiptHandle: undefined,
      visibleAt: this.clock.now(),
    };
    this.messages.set(moved.messageId, moved);
    this.makeVisible(moved);
  }

  private makeVisible(message: StoredMessage): void {
    this.visible.add(message);
    this.scheduleNotify();
  }

  private hide(message: StoredMessage): void {
    this.hidden.add(message);
    if (message.visibleAt < this.nextDueAt) this.armTimer(message.visibleAt, this.clock.now());
  }

  private armTimer(dueAt: number, now: number): void {
    clearTimeout(this.timer);
    this.nextDueAt = dueAt;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, dueAt - now));
    // The queue's owner decides when the process ends, not a pending visibility timeout.
    this.timer.unref();
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.isClosed) return;
    const now = this.clock.now();
    // Timers and the clock can disagree by a millisecond: re-arm rather than miss the message.
    if (this.nextDueAt > now) this.armTimer(this.nextDueAt, now);
    else this.revealDue(now);
  }

  /** Moves delayed and in-flight messages whose time has come to the visible set, and re-arms the timer. */
  private revealDue(now: number): void {
    if (this.nextDueAt > now) return;
    let revealed = false;
    let nextDueAt = Infinity;
    for (const message of this.hidden) {
      if (message.visibleAt <= now) {
        this.hidden.delete(message);
        this.visible.add(message);
        revealed = true;
      } else if (message.visibleAt < nextDueAt) {
        nextDueAt = message.visibleAt;
      }
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.nextDueAt = Infinity;
    if (nextDueAt !== Infinity) this.armTimer(nextDueAt, now);
    if (revealed) this.scheduleNotify();
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      if (this.isClosed || this.visible.size === 0) return;
      for (const listener of [...this.listeners]) listener();
    });
  }

  private isExpired(message: StoredMessage, now: number): boolean {
    return now - message.sentTimestamp >= this.retentionMs;
  }

  private forget(message: StoredMessage): void {
    this.messages.delete(message.messageId);
    this.visible.delete(message);
    this.hidden.delete(message);
  }

  private messageIdOf(receiptHandle: string): string {
    const [arn, messageId, serial] = Buffer.from(receiptHandle, 'base64url').toString('utf8').split('\n');
    if (arn !== this.arn || !messageId || !serial) {
      throw new SqsError(
        'ReceiptHandleIsInvalid',
        this.name,
        `'${receiptHandle}' is not a receipt handle this queue gave out`,
      );
    }
    return messageId;
  }

  private checkBody(body: string): void {
    if (typeof body !== 'string' || body.length === 0) {
      throw new SqsError('InvalidParameterValue', this.name, 'the message body must be a non-empty string');
    }
    const invalid = INVALID_BODY_CHARACTER.exec(body);
    if (invalid) {
      const codePoint = invalid[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new SqsError(
        'InvalidMessageContents',
        this.name,
        `the body contains U+${codePoint} at index ${invalid.index}, outside the characters SQS accepts: encode binary data (base64)`,
      );
    }
  }

  private checkAttributes(
    attributes: Readonly<Record<string, SqsMessageAttribute>>,
  ): Readonly<Record<string, SqsMessageAttribute>> {
    const names = Object.keys(attributes);
    if (names.length > MAX_ATTRIBUTES) {
      throw new SqsError(
        'InvalidParameterValue',
        this.name,
        `${names.length} message attributes, at most ${MAX_ATTRIBUTES}`,
      );
    }
    for (const name of names) {
      const { DataType, StringValue, BinaryValue } = attributes[name];
      const fail = (detail: string) =>
        new SqsError('InvalidParameterValue', this.name, `message attribute '${name}' ${detail}`);
      if (!ATTRIBUTE_NAME.test(name) || RESERVED_ATTRIBUTE_PREFIX.test(name)) {
        throw fail(
          'has an invalid name: letters, digits, _ - and . (not first, last or doubled), not starting with AWS. or Amazon.',
        );
      }
      const baseType = ATTRIBUTE_DATA_TYPE.exec(DataType ?? '')?.[1];
      if (!baseType) throw fail(`has DataType '${DataType}': use String, Number or Binary (optionally with a .suffix)`);
      if (
        baseType === 'Binary'
          ? !(BinaryValue instanceof Uint8Array)
          : typeof StringValue !== 'string' || StringValue === ''
      ) {
        throw fail(`of type ${DataType} needs a ${baseType === 'Binary' ? 'BinaryValue' : 'non-empty StringValue'}`);
      }
      if (baseType === 'Number' && !Number.isFinite(Number(StringValue))) {
        throw fail(`is not a number: '${StringValue}'`);
      }
    }
    return { ...attributes };
  }

  private checkInteger(
    field: string,
    value: number,
    min: number,
    max: number,
    code: SqsErrorCode = 'InvalidParameterValue',
  ): number {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SqsError(code, this.name, `${field} must be an integer from ${min} to ${max}, got ${value}`);
    }
    return value;
  }

  private assertOpen(): void {
    if (this.isClosed) {
      throw new SqsError('QueueDoesNotExist', this.name, 'the queue was closed (the local cloud stopped)');
    }
  }
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** What counts towards MaximumMessageSize: the body and every attribute's name, type and value. */
function messageSize(body: string, attributes: Readonly<Record<string, SqsMessageAttribute>>): number {
  let bytes = Buffer.byteLength(body ?? '', 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += value.BinaryValue ? value.BinaryValue.byteLength : Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

function toReceived(message: StoredMessage): ReceivedMessage {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle!,
    body: message.body,
    md5OfBody: message.md5OfBody,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: message.senderId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
      ...(message.deadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn } : {}),
    },
    messageAttributes: message.messageAttributes,
  };
}
