import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { serviceCatalogue } from '@ffc/rules';
import { FlagStreamRecordInput, MalformedStreamRecordError, parseFlagStreamRecord } from '@ffc/store';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { ACTORS } from '../actors';
import { createSnsEventPublisher } from '../aws/sns-event-publisher';
import { UnprocessableInputError } from '../errors';
import { countOutcome, publishOutcomes } from '../metrics';
import {
  auditSinkFromEnv,
  changePolicyFromEnv,
  flagStoreFromEnv,
  lazy,
  logger,
  regionalSettings,
  requiredEnv,
} from '../runtime';
import { StreamOutcome, createStreamValidator } from '../validation/stream-validator';

const OUTCOME_METRICS: Record<StreamOutcome['outcome'], string> = {
  published: 'ChangesPublished',
  'already-published': 'ChangesAlreadyPublished',
  'not-for-this-region': 'ChangesNotForThisRegion',
  rejected: 'ChangesRejected',
};

interface StreamProcessor {
  process(change: NonNullable<ReturnType<typeof parseFlagStreamRecord>>): Promise<StreamOutcome | null>;
}

/**
 * DynamoDB stream → validator. Records are handled in order and the first failure stops the batch: Lambda
 * retries from that record, so a flag's later versions are never published ahead of an earlier one.
 *
 * A record that can never be processed (malformed, or refused by a contract) is the exception: retrying it
 * would hold every later record of the shard behind it, and once Lambda's retries ran out it would discard
 * it together with the good records after it. It is logged whole (`stream_record_unprocessable`), counted
 * (`StreamRecordsUnprocessable`, which deserves an alarm) and skipped; nothing was published for it.
 */
export function createValidatorHandler(validator: () => StreamProcessor) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    if (!Array.isArray(event?.Records)) {
      throw new UnprocessableInputError('the validator takes a DynamoDB stream event ({ Records: [...] })');
    }
    for (const record of event.Records) {
      try {
        const change = parseRecord(record);
        if (!change) continue;
        const outcome = await validator().process(change);
        logger.info('flag_validated', { flagKey: change.flagKey, version: change.newDocument?.version, ...outcome });
        if (outcome) countOutcome(OUTCOME_METRICS[outcome.outcome]);
      } catch (error) {
        const where = { eventID: record?.eventID, sequenceNumber: record?.dynamodb?.SequenceNumber };
        if (error instanceof UnprocessableInputError) {
          logger.error('stream_record_unprocessable', { ...where, keys: record?.dynamodb?.Keys, error });
          countOutcome('StreamRecordsUnprocessable');
          continue;
        }
        logger.error('stream record failed; Lambda retries it, then sends it to the failure queue', {
          ...where,
          error: error as Error,
        });
        countOutcome('StreamRecordsFailed');
        publishOutcomes();
        return { batchItemFailures: [{ itemIdentifier: where.sequenceNumber ?? '' }] };
      }
    }
    publishOutcomes();
    return { batchItemFailures: [] };
  };
}

function parseRecord(record: unknown) {
  try {
    return parseFlagStreamRecord(record as FlagStreamRecordInput);
  } catch (error) {
    if (error instanceof MalformedStreamRecordError) throw new UnprocessableInputError(error.message, { cause: error });
    throw error;
  }
}

export const handler = createValidatorHandler(
  lazy(() => {
    const settings = regionalSettings();
    return createStreamValidator({
      ...settings,
      changePolicy: changePolicyFromEnv(),
      store: flagStoreFromEnv(),
      audit: auditSinkFromEnv(),
      catalogue: serviceCatalogue,
      actor: ACTORS.validator,
      publisher: createSnsEventPublisher({
        sns: new SNSClient({}),
        events: new EventBridgeClient({}),
        topicArn: requiredEnv('FAN_OUT_TOPIC_ARN'),
        eventBusName: requiredEnv('EVENT_BUS_NAME'),
      }),
    });
  }),
);
