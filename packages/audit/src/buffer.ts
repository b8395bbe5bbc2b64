/** One buffered audit event: `id` is the buffer's handle (an SQS message id, a spool position). */
export interface BufferedMessage {
  readonly id: string;
  /** The event as JSON; it may be malformed if something else wrote to the buffer. */
  readonly body: string;
}

/** A message the writer gave up on for good, with the reason an operator reads. */
export interface DeadLetter {
  readonly id: string;
  readonly reason: string;
}

/**
 * The durable hand-off between producers and the audit writer. Producers `enqueue`; once it resolves the
 * events survive a crash. The writer `receive`s, and `ack`s only what OpenSearch holds; a message neither
 * acked nor dead-lettered is delivered again (at least once; document ids make that exactly-once in
 * OpenSearch). Locally a file spool implements it; in AWS an SQS queue with a dead-letter queue.
 */
export interface AuditBuffer {
  enqueue(bodies: readonly string[]): Promise<void>;
  /** Up to `max` unacknowledged messages, oldest first; an empty array when the buffer is drained. */
  receive(max: number): Promise<BufferedMessage[]>;
  ack(ids: readonly string[]): Promise<void>;
  /** Moves messages that can never be written aside, keeping body and reason; it acknowledges them. */
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
}
