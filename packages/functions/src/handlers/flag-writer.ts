import { serviceCatalogue } from '@ffc/rules';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { UnprocessableInputError } from '../errors';
import { countOutcome, publishOutcomes } from '../metrics';
import { auditSinkFromEnv, changePolicyFromEnv, flagStoreFromEnv, lazy, logger, regionalSettings } from '../runtime';
import { WriterMessage, WriteOutcome, createFlagWriter } from '../writing';

const OUTCOME_METRICS: Record<WriteOutcome['outcome'], string> = {
  written: 'WriteRequestsWritten',
  'already-written': 'WriteRequestsDuplicate',
  rejected: 'WriteRequestsRejected',
};

interface Writer {
  write(message: WriterMessage): Promise<WriteOutcome>;
}

/**
 * The writer queue → the flag table. Who and when are read from the record's SQS system attributes
 * (SenderId, SentTimestamp), which SQS sets from the signed request and its own clock; nothing in the body
 * can name them. A request that can never be written (malformed) is logged and dropped; a failure that a
 * retry may cure (the table or the audit queue unreachable) is reported, so SQS delivers the message again.
 */
export function createFlagWriterHandler(writer: () => Writer) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    if (!Array.isArray(event?.Records)) {
      throw new UnprocessableInputError('the flag writer takes an SQS event ({ Records: [...] })');
    }
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    // In order, one at a time: the mapping delivers one message per batch, and each write reads the one before.
    for (const record of event.Records) {
      try {
        const outcome = await writer().write(writerMessage(record));
        logger.info('write_request', {
          messageId: record.messageId,
          senderId: record.attributes?.SenderId,
          outcome: outcome.outcome,
          ...(outcome.outcome === 'rejected'
            ? { ruleIds: outcome.ruleIds }
            : { flagKey: outcome.document.flagKey, version: outcome.document.version }),
        });
        countOutcome(OUTCOME_METRICS[outcome.outcome]);
      } catch (error) {
        if (error instanceof UnprocessableInputError) {
          logger.error('write_request_unprocessable', { messageId: record.messageId, error });
          countOutcome('WriteRequestsUnprocessable');
          continue;
        }
        logger.error('write request failed; SQS delivers it again', {
          messageId: record.messageId,
          error: error as Error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    publishOutcomes();
    return { batchItemFailures };
  };
}

/** The record's body with SQS's own SenderId and SentTimestamp (Lambda's SQS event carries both, always). */
function writerMessage(record: SQSRecord): WriterMessage {
  const { SenderId, SentTimestamp } = record.attributes ?? {};
  if (!SenderId || !SentTimestamp) {
    throw new UnprocessableInputError(`message ${record.messageId} has no SenderId or SentTimestamp attribute`);
  }
  return { body: record.body, senderId: SenderId, sentTimestamp: Number(SentTimestamp) };
}

export const handler = createFlagWriterHandler(
  lazy(() =>
    createFlagWriter({
      ...regionalSettings(),
      changePolicy: changePolicyFromEnv(),
      store: flagStoreFromEnv(),
      audit: auditSinkFromEnv(),
      catalogue: serviceCatalogue,
    }),
  ),
);
