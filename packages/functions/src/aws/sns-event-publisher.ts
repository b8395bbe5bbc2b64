import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
// The message contract alone: the cache's index would bundle ioredis into the validator.
import { buildFanOutMessage } from '@ffc/cache/fan-out-message';
import { CHANGE_PUBLISHED, TARGET_SERVICES_ATTRIBUTE } from '@ffc/identifiers';
import { ChangePublisher, PublishedChange } from '../ports/change-publisher';

export interface SnsEventPublisherOptions {
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
  readonly topicArn: string;
  readonly eventBusName: string;
}

/** The change goes to the fan-out topic (filtered per service), then the bus announces it for verification. */
export function createSnsEventPublisher(options: SnsEventPublisherOptions): ChangePublisher {
  return {
    async publish({ change, region, services, correlationId, replaces }: PublishedChange): Promise<void> {
      await options.sns.send(
        new PublishCommand({
          TopicArn: options.topicArn,
          Message: buildFanOutMessage(change, correlationId, replaces),
          MessageAttributes: {
            // Every subscription's filter matches its own service id or '*'.
            [TARGET_SERVICES_ATTRIBUTE]: {
              DataType: 'String.Array',
              StringValue: JSON.stringify(change.services.includes('*') ? ['*'] : services),
            },
          },
        }),
      );
      const result = await options.events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: options.eventBusName,
              Source: CHANGE_PUBLISHED.source,
              DetailType: CHANGE_PUBLISHED.detailType,
              Detail: JSON.stringify({
                flagKey: change.flagKey,
                version: change.version,
                kind: change.kind,
                services,
                region,
                correlationId,
              }),
            },
          ],
        }),
      );
      if (result.FailedEntryCount) {
        throw new Error(
          `EventBridge refused the change-published event: ${result.Entries?.[0]?.ErrorCode} ${result.Entries?.[0]?.ErrorMessage}`,
        );
      }
    },
  };
}
