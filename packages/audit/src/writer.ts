import { AuditBuffer } from './buffer';
import { BulkClient, BulkRetryOptions } from './bulk-write';
import { auditDocumentId } from './document-id';
import { AuditStoreUnavailableError, InvalidAuditEventError } from './errors';
import { AuditEvent } from './event-types';
import { assertAuditStage } from './index-names';
import { parseAuditEvent } from './validate-event';
import { AuditMessageFailure, writeAuditBatch } from './write-batch';

export interface AuditWriterOptions {
  readonly client: BulkClient;
  readonly stage: string;
  /** Where recorded events wait until OpenSearch holds them. */
  readonly buffer: AuditBuffer;
  /** Messages taken from the buffer at a time; bulk requests carry at most 1000 each. @default 2000 */
  readonly batchSize?: number;
  readonly retry?: BulkRetryOptions;
  /** @default - the system clock */
  readonly now?: () => Date;
}

export interface FlushReport {
  readonly written: number;
  /** Replays OpenSearch already held. */
  readonly duplicates: number;
  /** Messages that can never be written, moved to the buffer's dead letter with their reason. */
  readonly deadLettered: readonly AuditMessageFailure[];
}

export interface AuditWriter {
  /**
   * Validates and durably buffers events (all or none); resolves with their document ids once they would
   * survive a crash. Throws InvalidAuditEventError naming every problem of every bad event.
   */
  record(events: AuditEvent | readonly AuditEvent[]): Promise<string[]>;
  /**
   * Delivers everything buffered to OpenSearch. Throws AuditStoreUnavailableError when OpenSearch does not
   * take a batch: those events stay buffered and a later flush delivers them, exactly once.
   */
  flush(): Promise<FlushReport>;
}

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const { buffer, stage } = options;
  assertAuditStage(stage);
  const batchSize = options.batchSize ?? 2000;
  let flushing: Promise<unknown> = Promise.resolve();

  async function drain(): Promise<FlushReport> {
    let written = 0;
    let duplicates = 0;
    const deadLettered: AuditMessageFailure[] = [];
    for (;;) {
      const messages = await buffer.receive(batchSize);
      if (messages.length === 0) return { written, duplicates, deadLettered };
      const report = await writeAuditBatch(options, messages);
      await buffer.ack([...report.written, ...report.duplicates]);
      const permanent = report.failures.filter((f) => f.permanent);
      if (permanent.length > 0) await buffer.deadLetter(permanent);
      written += report.written.length;
      duplicates += report.duplicates.length;
      deadLettered.push(...permanent);
      const waiting = report.failures.filter((f) => !f.permanent);
      if (waiting.length > 0) {
        throw new AuditStoreUnavailableError(
          `${waiting[0].reason}; ${waiting.length} audit events of this batch wait in the buffer and the next flush delivers them`,
          waiting.length,
        );
      }
    }
  }

  return {
    async record(events) {
      const list: readonly AuditEvent[] = Array.isArray(events) ? events : [events as AuditEvent];
      const problems: string[] = [];
      const parsed = list.flatMap((event, i) => {
        try {
          return [parseAuditEvent(event, stage)];
        } catch (error) {
          if (!(error instanceof InvalidAuditEventError) || list.length === 1) throw error;
          problems.push(`event ${i}: ${error.message}`);
          return [];
        }
      });
      if (problems.length > 0) {
        throw new InvalidAuditEventError(problems, `${problems.length} of ${list.length} audit events`);
      }
      await buffer.enqueue(parsed.map((event) => JSON.stringify(event)));
      return parsed.map(auditDocumentId);
    },

    flush() {
      // One drain at a time: two would read the same unacknowledged messages.
      const next = flushing.then(drain, drain);
      flushing = next.catch(() => undefined);
      return next;
    },
  };
}
