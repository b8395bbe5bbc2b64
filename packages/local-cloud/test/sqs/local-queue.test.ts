import { NotEmulatedError } from '../../src/errors';
import { LocalQueue, MAX_MESSAGE_BYTES, QueueSettings, SqsError } from '../../src/sqs';

const REGION = 'eu-west-1';

function queueSettings(name: string, overrides: Partial<QueueSettings> = {}): QueueSettings {
  return {
    name,
    arn: `arn:aws:sqs:${REGION}:111122223333:${name}`,
    url: `https://sqs.${REGION}.amazonaws.com/111122223333/${name}`,
    region: REGION,
    visibilityTimeoutSeconds: 30,
    ...overrides,
  };
}

const queues: LocalQueue[] = [];
function newQueue(name: string, overrides: Partial<QueueSettings> = {}): LocalQueue {
  const queue = new LocalQueue(queueSettings(name, overrides));
  queues.push(queue);
  return queue;
}

/** The AWS error name a call fails with. */
function errorName(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(SqsError);
    return (error as SqsError).name;
  }
  throw new Error('expected the call to fail');
}

// Microtasks stay real: the queue wakes its listeners in one.
beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z'), doNotFake: ['queueMicrotask'] }));
afterEach(() => {
  queues.splice(0).forEach((queue) => queue.close());
  jest.useRealTimers();
});

describe('SendMessage / ReceiveMessage (API reference: SendMessage, ReceiveMessage)', () => {
  test('a message comes back with its body, the MD5 of the body and the system attributes', () => {
    const queue = newQueue('orders');
    const sentAt = Date.now();
    const { messageId, md5OfBody } = queue.send({ body: 'hello', senderId: 'AIDAEXAMPLESENDER' });
    // MD5("hello"), the well-known digest.
    expect(md5OfBody).toBe('5d41402abc4b2a76b9719d911017c592');
    jest.advanceTimersByTime(1500);
    const [message] = queue.receive();
    expect(message).toMatchObject({
      messageId,
      body: 'hello',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(sentAt),
        SenderId: 'AIDAEXAMPLESENDER',
        ApproximateFirstReceiveTimestamp: String(sentAt + 1500),
      },
    });
  });

  test('message attributes are kept as sent', () => {
    const queue = newQueue('attributes');
    queue.send({
      body: 'x',
      attributes: {
        services: { DataType: 'String', StringValue: 'checkout' },
        version: { DataType: 'Number', StringValue: '7' },
        blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([1, 2, 3]) },
      },
    });
    expect(queue.receive()[0].messageAttributes).toEqual({
      services: { DataType: 'String', StringValue: 'checkout' },
      version: { DataType: 'Number', StringValue: '7' },
      blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([1, 2, 3]) },
    });
  });

  test('MaxNumberOfMessages is 1 by default and at most 10', () => {
    const queue = newQueue('many');
    for (let i = 0; i < 12; i += 1) queue.send({ body: `m${i}` });
    expect(queue.receive()).toHaveLength(1);
    expect(queue.receive({ maxNumberOfMessages: 10 })).toHaveLength(10);
    expect(errorName(() => queue.receive({ maxNumberOfMessages: 11 }))).toBe('InvalidParameterValue');
    expect(errorName(() => queue.receive({ maxNumberOfMessages: 0 }))).toBe('InvalidParameterValue');
  });

  test('the body may be 1 MiB (the SendMessage maximum since 2025), not a byte more', () => {
    const queue = newQueue('large');
    expect(queue.send({ body: 'a'.repeat(MAX_MESSAGE_BYTES) }).messageId).toBeTruthy();
    expect(errorName(() => queue.send({ body: 'a'.repeat(MAX_MESSAGE_BYTES + 1) }))).toBe('MessageTooLong');
  });

  test("the queue's MaximumMessageSize counts the body and the attributes", () => {
    const queue = newQueue('small', { maximumMessageSizeBytes: 1024 });
    queue.send({ body: 'a'.repeat(1024) });
    // 1000 + 'k'(1) + 'String'(6) + 17 = 1024 bytes: fits; one more byte does not.
    queue.send({ body: 'a'.repeat(1000), attributes: { k: { DataType: 'String', StringValue: 'v'.repeat(17) } } });
    expect(
      errorName(() =>
        queue.send({ body: 'a'.repeat(1000), attributes: { k: { DataType: 'String', StringValue: 'v'.repeat(18) } } }),
      ),
    ).toBe('MessageTooLong');
  });

  test('characters outside the allowed set are refused, and so is an empty body', () => {
    const queue = newQueue('chars');
    expect(errorName(() => queue.send({ body: 'bell \u0007' }))).toBe('InvalidMessageContents');
    expect(errorName(() => queue.send({ body: 'lone surrogate \uD800' }))).toBe('InvalidMessageContents');
    expect(queue.send({ body: 'tab\tnewline\n emoji 🚩' }).messageId).toBeTruthy();
    expect(errorName(() => queue.send({ body: '' }))).toBe('InvalidParameterValue');
  });

  test('invalid message attributes are refused', () => {
    const queue = newQueue('bad-attributes');
    const tooMany = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'x' }]),
    );
    expect(errorName(() => queue.send({ body: 'x', attributes: tooMany }))).toBe('InvalidParameterValue');
    expect(
      errorName(() =>
        queue.send({ body: 'x', attributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'x' } } }),
      ),
    ).toBe('InvalidParameterValue');
    expect(
      errorName(() => queue.send({ body: 'x', attributes: { n: { DataType: 'Number', StringValue: 'seven' } } })),
    ).toBe('InvalidParameterValue');
    expect(errorName(() => queue.send({ body: 'x', attributes: { n: { DataType: 'Date', StringValue: '1' } } }))).toBe(
      'InvalidParameterValue',
    );
  });

  test('FIFO queues are refused with an error naming the queue', () => {
    expect(() => newQueue('payments.fifo')).toThrow(
      new NotEmulatedError(
        "queue 'payments.fifo'",
        'a FIFO queue (only standard queues are; run FIFO queues against AWS)',
      ),
    );
  });
});

describe('SendMessageBatch (API reference: SendMessageBatch)', () => {
  test('a bad entry fails alone; the others are sent', () => {
    const queue = newQueue('batch', { maximumMessageSizeBytes: 1024 });
    const result = queue.sendBatch([
      { id: 'first', body: 'one' },
      { id: 'too_long', body: 'a'.repeat(1025) },
      { id: 'bad_delay', body: 'two', delaySeconds: 901 },
      { id: 'last', body: 'three' },
    ]);
    expect(result.successful.map((entry) => entry.id)).toEqual(['first', 'last']);
    expect(result.failed).toEqual([
      expect.objectContaining({ id: 'too_long', code: 'MessageTooLong', senderFault: true }),
      expect.objectContaining({ id: 'bad_delay', code: 'InvalidParameterValue', senderFault: true }),
    ]);
    expect(queue.receive({ maxNumberOfMessages: 10 }).map((message) => message.body)).toEqual(['one', 'three']);
  });

  test('request-level problems refuse the whole batch', () => {
    const queue = newQueue('batch-limits');
    const entries = Array.from({ length: 11 }, (_, i) => ({ id: `e${i}`, body: 'x' }));
    expect(errorName(() => queue.sendBatch(entries))).toBe('TooManyEntriesInBatchRequest');
    expect(errorName(() => queue.sendBatch([]))).toBe('EmptyBatchRequest');
    expect(
      errorName(() =>
        queue.sendBatch([
          { id: 'same', body: 'a' },
          { id: 'same', body: 'b' },
        ]),
      ),
    ).toBe('BatchEntryIdsNotDistinct');
    expect(errorName(() => queue.sendBatch([{ id: 'has space', body: 'a' }]))).toBe('InvalidBatchEntryId');
    const half = 'a'.repeat(MAX_MESSAGE_BYTES / 2 + 1);
    expect(
      errorName(() =>
        queue.sendBatch([
          { id: 'a', body: half },
          { id: 'b', body: half },
        ]),
      ),
    ).toBe('BatchRequestTooLong');
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('Amazon SQS visibility timeout (Developer Guide)', () => {
  test('a received message is hidden for the visibility timeout, then received again with a higher receive count', () => {
    const queue = newQueue('visibility');
    queue.send({ body: 'job' });
    const first = queue.receive()[0];
    jest.advanceTimersByTime(29_999);
    expect(queue.receive()).toEqual([]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    jest.advanceTimersByTime(1);
    const second = queue.receive()[0];
    expect(second.messageId).toBe(first.messageId);
    expect(second.receiptHandle).not.toBe(first.receiptHandle);
    expect(second.attributes.ApproximateReceiveCount).toBe('2');
    expect(second.attributes.ApproximateFirstReceiveTimestamp).toBe(first.attributes.ApproximateFirstReceiveTimestamp);
    expect(second.attributes.SentTimestamp).toBe(first.attributes.SentTimestamp);
  });

  test('ReceiveMessage can override the visibility timeout', () => {
    const queue = newQueue('override');
    queue.send({ body: 'job' });
    queue.receive({ visibilityTimeoutSeconds: 5 });
    jest.advanceTimersByTime(5000);
    expect(queue.receive()).toHaveLength(1);
  });

  test('ChangeMessageVisibility counts from the call: 60 s queue, changed to 10 s after 15 s, visible at 25 s', () => {
    // The documented example of ChangeMessageVisibility.
    const queue = newQueue('change', { visibilityTimeoutSeconds: 60 });
    queue.send({ body: 'job' });
    const [message] = queue.receive();
    jest.advanceTimersByTime(15_000);
    queue.changeVisibility(message.receiptHandle, 10);
    jest.advanceTimersByTime(9_999);
    expect(queue.receive()).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(queue.receive()).toHaveLength(1);
  });

  test('ChangeMessageVisibility to 0 makes the message visible at once and wakes the listeners', async () => {
    const queue = newQueue('release');
    queue.send({ body: 'job' });
    const [message] = queue.receive();
    const woken = jest.fn();
    queue.onAvailable(woken);
    queue.changeVisibility(message.receiptHandle, 0);
    await Promise.resolve();
    expect(woken).toHaveBeenCalledTimes(1);
    expect(queue.receive()[0].attributes.ApproximateReceiveCount).toBe('2');
  });

  test('ChangeMessageVisibility refuses a visible message, a stale handle and more than 12 hours', () => {
    const queue = newQueue('change-errors');
    queue.send({ body: 'job' });
    const first = queue.receive({ visibilityTimeoutSeconds: 43_200 })[0];
    expect(errorName(() => queue.changeVisibility(first.receiptHandle, 43_201))).toBe('InvalidParameterValue');
    jest.advanceTimersByTime(6 * 3600_000);
    // 6 h after the receive, 7 h more would pass the 12-hour limit; 6 h more reach it exactly.
    expect(errorName(() => queue.changeVisibility(first.receiptHandle, 7 * 3600))).toBe('InvalidParameterValue');
    queue.changeVisibility(first.receiptHandle, 6 * 3600);
    jest.advanceTimersByTime(6 * 3600_000);
    expect(errorName(() => queue.changeVisibility(first.receiptHandle, 10))).toBe('MessageNotInflight');
    queue.receive();
    expect(errorName(() => queue.changeVisibility(first.receiptHandle, 10))).toBe('InvalidParameterValue');
  });
});

describe('DeleteMessage (API reference: DeleteMessage)', () => {
  test('the latest receipt handle deletes the message', () => {
    const queue = newQueue('delete');
    queue.send({ body: 'job' });
    queue.delete(queue.receive()[0].receiptHandle);
    jest.advanceTimersByTime(60_000);
    expect(queue.receive()).toEqual([]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('a stale receipt handle succeeds but does not delete the message (documented for re-received messages)', () => {
    const queue = newQueue('stale');
    queue.send({ body: 'job' });
    const stale = queue.receive()[0].receiptHandle;
    jest.advanceTimersByTime(30_000);
    const latest = queue.receive()[0].receiptHandle;
    expect(() => queue.delete(stale)).not.toThrow();
    expect(queue.counts().inFlight).toBe(1);
    queue.delete(latest);
    expect(queue.counts().inFlight).toBe(0);
    // Deleting again (an at-least-once consumer retrying) is harmless.
    expect(() => queue.delete(latest)).not.toThrow();
  });

  test("a handle that is not this queue's is ReceiptHandleIsInvalid", () => {
    const queue = newQueue('mine');
    const other = newQueue('other');
    other.send({ body: 'job' });
    const foreign = other.receive()[0].receiptHandle;
    expect(errorName(() => queue.delete(foreign))).toBe('ReceiptHandleIsInvalid');
    expect(errorName(() => queue.delete('not-a-handle'))).toBe('ReceiptHandleIsInvalid');
  });
});

describe('Using dead-letter queues in Amazon SQS (Developer Guide)', () => {
  test('after maxReceiveCount receives, the next receive attempt moves the message to the DLQ', () => {
    const deadLetters = newQueue('orders-dlq');
    const queue = newQueue('orders', { redrive: { deadLetterQueue: deadLetters, maxReceiveCount: 3 } });
    const { messageId } = queue.send({
      body: 'poison',
      attributes: { kind: { DataType: 'String', StringValue: 'test' } },
    });
    for (let receive = 1; receive <= 3; receive += 1) {
      expect(queue.receive()[0].attributes.ApproximateReceiveCount).toBe(String(receive));
      jest.advanceTimersByTime(30_000);
    }
    expect(deadLetters.counts().visible).toBe(0);
    expect(queue.receive()).toEqual([]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [moved] = deadLetters.receive();
    expect(moved).toMatchObject({
      messageId,
      body: 'poison',
      messageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      // "The number of times a message has been received across all queues but not deleted."
      attributes: { ApproximateReceiveCount: '4', DeadLetterQueueSourceArn: queue.arn },
    });
  });

  test('the retention period still counts from the original send in the DLQ', () => {
    const deadLetters = newQueue('short-dlq', { messageRetentionSeconds: 120 });
    const queue = newQueue('short', {
      visibilityTimeoutSeconds: 50,
      redrive: { deadLetterQueue: deadLetters, maxReceiveCount: 1 },
    });
    queue.send({ body: 'job' });
    queue.receive();
    jest.advanceTimersByTime(100_000);
    queue.receive();
    expect(deadLetters.counts().visible).toBe(1);
    jest.advanceTimersByTime(20_000);
    expect(deadLetters.receive()).toEqual([]);
  });
});

describe('delays, retention and counts (API reference: SendMessage DelaySeconds, SetQueueAttributes)', () => {
  test('a delayed message is counted as delayed and becomes visible after its delay', () => {
    const queue = newQueue('delayed', { delaySeconds: 10 });
    queue.send({ body: 'queue default' });
    queue.send({ body: 'per message', delaySeconds: 2 });
    queue.send({ body: 'no delay', delaySeconds: 0 });
    expect(queue.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 2 });
    jest.advanceTimersByTime(2000);
    expect(queue.receive({ maxNumberOfMessages: 10 }).map((message) => message.body)).toEqual([
      'no delay',
      'per message',
    ]);
    jest.advanceTimersByTime(8000);
    expect(queue.receive().map((message) => message.body)).toEqual(['queue default']);
  });

  test('messages older than the retention period are dropped', () => {
    const queue = newQueue('retention', { messageRetentionSeconds: 60 });
    queue.send({ body: 'old' });
    jest.advanceTimersByTime(30_000);
    queue.send({ body: 'young' });
    jest.advanceTimersByTime(30_000);
    expect(queue.counts().visible).toBe(1);
    expect(queue.receive({ maxNumberOfMessages: 10 }).map((message) => message.body)).toEqual(['young']);
  });

  test('settings outside the AWS ranges are refused', () => {
    expect(() => newQueue('a', { visibilityTimeoutSeconds: 43_201 })).toThrow(
      /VisibilityTimeout must be an integer from 0 to 43200/,
    );
    expect(() => newQueue('b', { messageRetentionSeconds: 59 })).toThrow(/MessageRetentionPeriod/);
    expect(() => newQueue('c', { delaySeconds: 901 })).toThrow(/DelaySeconds/);
    expect(() => newQueue('d', { maximumMessageSizeBytes: MAX_MESSAGE_BYTES + 1 })).toThrow(/MaximumMessageSize/);
    expect(() => newQueue('e', { redrive: { deadLetterQueue: newQueue('e-dlq'), maxReceiveCount: 0 } })).toThrow(
      /maxReceiveCount/,
    );
  });
});

describe('event-driven wake-ups (the local cloud runs ~3,800 queues in one process)', () => {
  test('idle queues hold no timers; a send wakes only the listeners of that queue, once per burst', async () => {
    const many = Array.from({ length: 3800 }, (_, i) => newQueue(`svc-${i}`));
    const woken = many.map((queue) => {
      const listener = jest.fn();
      queue.onAvailable(listener);
      return listener;
    });
    expect(jest.getTimerCount()).toBe(0);
    for (let i = 0; i < 5; i += 1) many[42].send({ body: `burst ${i}` });
    expect(jest.getTimerCount()).toBe(0);
    await Promise.resolve();
    expect(woken[42]).toHaveBeenCalledTimes(1);
    expect(woken.filter((listener) => listener.mock.calls.length > 0)).toHaveLength(1);
  });

  test('a visibility timeout arms one timer, and its expiry wakes the listeners', async () => {
    const queue = newQueue('timer');
    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    queue.receive({ maxNumberOfMessages: 2 });
    expect(jest.getTimerCount()).toBe(1);
    const woken = jest.fn();
    queue.onAvailable(woken);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(woken).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('a long poll answers as soon as a message arrives, or empty when the wait ends', async () => {
    const queue = newQueue('long-poll');
    const waiting = queue.receiveWithWait({ waitTimeSeconds: 20 });
    await jest.advanceTimersByTimeAsync(5000);
    queue.send({ body: 'late' });
    await jest.advanceTimersByTimeAsync(0);
    expect((await waiting).map((message) => message.body)).toEqual(['late']);
    const empty = queue.receiveWithWait({ waitTimeSeconds: 2 });
    await jest.advanceTimersByTimeAsync(2000);
    expect(await empty).toEqual([]);
  });

  test('closing a queue ends its long polls and refuses later requests', async () => {
    const queue = newQueue('closing');
    const waiting = queue.receiveWithWait({ waitTimeSeconds: 20 });
    queue.close();
    expect(await waiting).toEqual([]);
    expect(errorName(() => queue.send({ body: 'x' }))).toBe('QueueDoesNotExist');
  });
});
