import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { serviceCatalogue } from '@ffc/rules';
import { FlagStreamRecordInput, parseFlagStreamRecord } from '@ffc/store';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { ACTORS } from '../actors';
import { createSnsEventPublisher } from '../aws/sns-event-publisher';
import { countOutcome, publishOutcomes } from '../metrics';
import { auditSinkFromEnv, flagStoreFromEnv, lazy, logger, regionalSettings, requiredEnv } from '../runtime';
import { StreamOutcome, createStreamValidator } from '../validation/stream-validator';

const OUTCOME_METRICS: Record<StreamOutcome['outcome'], string> = {
  published: 'ChangesPublished',
  'not-for-this-region': 'ChangesNotForThisRegion',
  rejected: 'ChangesRejected',
};

interface StreamProcessor {
  process(change: NonNullable<ReturnType<typeof parseFlagStreamRecord>>): Promise<StreamOutcome | null>;
}

/**
 * DynamoDB stream → validator. Records are handled in order and the first failure stops the batch: Lambda
 * retries from that record, so a flag's later versions are never published ahead of an earlier one.
 */
export function createValidatorHandler(validator: () => StreamProcessor) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        const change = parseFlagStreamRecord(record as FlagStreamRecordInput);
        if (!change) continue;
        const outcome = await validator().process(change);
        logger.info('flag_validated', { flagKey: change.flagKey, version: change.newDocument?.version, ...outcome });
        if (outcome) countOutcome(OUTCOME_METRICS[outcome.outcome]);
      } catch (error) {
        logger.error('stream record failed; Lambda retries it, then sends it to the failure queue', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: error as Error,
        });
        countOutcome('StreamRecordsFailed');
        publishOutcomes();
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    publishOutcomes();
    return { batchItemFailures: [] };
  };
}

export const handler = createValidatorHandler(
  lazy(() => {
    const settings = regionalSettings();
    return createStreamValidator({
      ...settings,
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
