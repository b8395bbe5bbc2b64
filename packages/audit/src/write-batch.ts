import { toAuditDocument } from './audit-document';
import { BufferedMessage } from './buffer';
import { AuditDocument, BulkClient, BulkRetryOptions, bulkWriteDocuments } from './bulk-write';
import { assertAuditStage } from './index-names';
import { parseAuditEvent } from './validate-event';

export interface AuditBatchTarget {
  readonly client: BulkClient;
  readonly stage: string;
  readonly retry?: BulkRetryOptions;
  /** @default - the system clock */
  readonly now?: () => Date;
}

/** A message that was not written; `permanent` ones (malformed, invalid, mapping conflict, oversized) never will be. */
export interface AuditMessageFailure {
  readonly id: string;
  readonly reason: string;
  readonly permanent: boolean;
}

export interface AuditBatchReport {
  /** Ids of messages now held by OpenSearch, first written by this batch. */
  readonly written: string[];
  /** Ids of messages OpenSearch already held (replays): safe to acknowledge. */
  readonly duplicates: string[];
  readonly failures: AuditMessageFailure[];
}

/**
 * Writes a batch of buffered messages (spool entries, or the bodies of one SQS batch in the audit-writer
 * Lambda) and says what became of each: acknowledge `written` and `duplicates`, report `failures` (as SQS
 * partial batch failures, or to the dead letter when permanent). No message is dropped without a reason.
 */
export async function writeAuditBatch(
  target: AuditBatchTarget,
  messages: readonly BufferedMessage[],
): Promise<AuditBatchReport> {
  // A misconfigured stage would dead-letter every event as foreign: refuse the batch instead.
  assertAuditStage(target.stage);
  const indexedAt = (target.now ?? (() => new Date()))();
  const report: AuditBatchReport = { written: [], duplicates: [], failures: [] };
  const documents: AuditDocument[] = [];
  const documentMessages: string[] = [];
  for (const message of messages) {
    try {
      documents.push(toAuditDocument(parseAuditEvent(JSON.parse(message.body), target.stage), indexedAt));
      documentMessages.push(message.id);
    } catch (error) {
      const reason = error instanceof SyntaxError ? `malformed JSON: ${error.message}` : (error as Error).message;
      report.failures.push({ id: message.id, reason, permanent: true });
    }
  }
  const outcomes = await bulkWriteDocuments(target.client, documents, target.retry);
  outcomes.forEach((outcome, i) => {
    const id = documentMessages[i];
    if (outcome.status === 'written') report.written.push(id);
    else if (outcome.status === 'duplicate') report.duplicates.push(id);
    else report.failures.push({ id, reason: outcome.reason, permanent: outcome.permanent });
  });
  return report;
}
