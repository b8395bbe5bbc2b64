import {
  AuditBatchReport,
  AuditBatchTarget,
  auditConnectionFromEnv,
  createAuditClient,
  writeAuditBatch,
} from '@ffc/audit';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lazy, logger, requiredEnv } from '../runtime';

/**
 * The durable audit queue → OpenSearch. What OpenSearch holds (written or already there) is acknowledged;
 * everything else is reported as a batch item failure — retried while OpenSearch is down, and after its
 * retries moved to the dead-letter queue with the reason logged. Nothing is dropped.
 */
export function createAuditWriterHandler(target: () => AuditBatchTarget) {
  return async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const messages = event.Records.map((record) => ({ id: record.messageId, body: record.body }));
    // Without a Lambda context (a direct call) there is no invocation time to spend: failures are reported at once.
    const budgetMs = context ? Math.min(OPENSEARCH_OUTAGE_BUDGET_MS, context.getRemainingTimeInMillis() - 15_000) : 0;
    const deadline = Date.now() + budgetMs;
    let report = await writeAuditBatch(target(), messages);
    for (let delayMs = 1_000; ; delayMs = Math.min(delayMs * 2, 5_000)) {
      const transient = new Set(report.failures.filter((f) => !f.permanent).map((f) => f.id));
      if (transient.size === 0 || Date.now() + delayMs > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const retried = await writeAuditBatch(
        target(),
        messages.filter((m) => transient.has(m.id)),
      );
      report = merge(report, transient, retried);
    }
    for (const failure of report.failures) {
      logger.error(failure.permanent ? 'audit event can never be written' : 'audit event not written yet', {
        messageId: failure.id,
        reason: failure.reason,
      });
    }
    return { batchItemFailures: report.failures.map((failure) => ({ itemIdentifier: failure.id })) };
  };
}

/**
 * How long one batch keeps retrying while OpenSearch is unreachable (a restart, a blue/green change). A
 * message reported failed waits out the queue's visibility timeout (6 × the function timeout: minutes)
 * before its next try, so a 30 s outage would otherwise delay the audit trail by minutes. Within the
 * 60 s function timeout, with room for one bulk request.
 */
export const OPENSEARCH_OUTAGE_BUDGET_MS = 40_000;

/** The first report with the retried messages' outcomes in place of their transient failures. */
function merge(first: AuditBatchReport, retriedIds: Set<string>, retried: AuditBatchReport): AuditBatchReport {
  return {
    written: [...first.written, ...retried.written],
    duplicates: [...first.duplicates, ...retried.duplicates],
    failures: [...first.failures.filter((f) => !retriedIds.has(f.id)), ...retried.failures],
  };
}

export const handler = createAuditWriterHandler(
  lazy(() => ({
    client: createAuditClient(auditConnectionFromEnv(process.env, requiredEnv('FFC_OPENSEARCH_URL'))),
    stage: requiredEnv('STAGE'),
  })),
);
