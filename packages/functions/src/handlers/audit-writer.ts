import { AuditBatchTarget, auditConnectionFromEnv, createAuditClient, writeAuditBatch } from '@ffc/audit';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lazy, logger, requiredEnv } from '../runtime';

/**
 * The durable audit queue → OpenSearch. What OpenSearch holds (written or already there) is acknowledged;
 * everything else is reported as a batch item failure — retried while OpenSearch is down, and after its
 * retries moved to the dead-letter queue with the reason logged. Nothing is dropped.
 */
export function createAuditWriterHandler(target: () => AuditBatchTarget) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const report = await writeAuditBatch(
      target(),
      event.Records.map((record) => ({ id: record.messageId, body: record.body })),
    );
    for (const failure of report.failures) {
      logger.error(failure.permanent ? 'audit event can never be written' : 'audit event not written yet', {
        messageId: failure.id,
        reason: failure.reason,
      });
    }
    return { batchItemFailures: report.failures.map((failure) => ({ itemIdentifier: failure.id })) };
  };
}

export const handler = createAuditWriterHandler(
  lazy(() => ({
    client: createAuditClient(auditConnectionFromEnv(process.env, requiredEnv('FFC_OPENSEARCH_URL'))),
    stage: requiredEnv('STAGE'),
  })),
);
