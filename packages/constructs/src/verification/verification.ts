import { CHANGE_PUBLISHED } from '@ffc/identifiers';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { allowServiceKeyUse, arnOfName } from '../encryption';
import { allowOnlyRuleToSend, grantSqsEventSource, redriveOnlyFrom } from '../function';
import { resourceName } from '../naming';
import { VerificationStateMachine, VerificationStateMachineProps } from './verification-state-machine';

// What the validator puts on the stage's event bus for every published change.
export { CHANGE_PUBLISHED };

/** Logs Insights allows 30 concurrent queries per account and region; the default leaves room for people. */
export const DEFAULT_MAX_CONCURRENT_VERIFICATIONS = 10;

export interface VerificationProps extends VerificationStateMachineProps {
  /** The stage's event bus the validator publishes `flag-change-published` events to. */
  readonly eventBus: events.IEventBus;
  /**
   * Starts verifications: reads batches of published changes and runs one express execution per batch
   * (one Logs Insights query covers the whole batch).
   */
  readonly scheduler: lambda.IFunction;
  /**
   * Verifications (and so Logs Insights queries) running at once in this region; a burst of changes queues
   * instead of starting a query each.
   * @default 10
   */
  readonly maxConcurrentVerifications?: number;
  readonly encryptionKey: kms.IKey;
}

/** EventBridge rule → durable queue → scheduler (capped concurrency, batching) → verification state machine. */
export class Verification extends Construct {
  readonly stateMachine: VerificationStateMachine;
  readonly requests: sqs.Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: VerificationProps) {
    super(scope, id);
    const maxConcurrent = props.maxConcurrentVerifications ?? DEFAULT_MAX_CONCURRENT_VERIFICATIONS;
    if (maxConcurrent < 2 || maxConcurrent > 30) {
      throw new Error(
        `maxConcurrentVerifications must be within 2..30 (Logs Insights runs 30 queries per account and region), got ${maxConcurrent}`,
      );
    }
    this.stateMachine = new VerificationStateMachine(this, 'StateMachine', props);
    const requestsName = resourceName(props.stage, 'verification-requests');
    const deadLettersName = resourceName(props.stage, 'verification-dlq');
    const deadLetters = new sqs.Queue(this, 'RequestsDlq', {
      queueName: deadLettersName,
      redriveAllowPolicy: redriveOnlyFrom(this, 'RequestsSource', requestsName),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const schedulerTimeout =
      props.scheduler instanceof lambda.Function
        ? (props.scheduler.timeout ?? Duration.seconds(3))
        : Duration.minutes(3);
    this.requests = new sqs.Queue(this, 'Requests', {
      queueName: requestsName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(schedulerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
    });
    this.rule = new events.Rule(this, 'ChangePublished', {
      ruleName: resourceName(props.stage, 'change-published'),
      eventBus: props.eventBus,
      eventPattern: { source: [CHANGE_PUBLISHED.source], detailType: [CHANGE_PUBLISHED.detailType] },
    });
    this.rule.addTarget({
      bind: () => ({ arn: this.requests.queueArn, deadLetterConfig: { arn: deadLetters.queueArn } }),
    });
    this.allowRuleToSend([this.requests, deadLetters]);
    // EventBridge passes no source keys to KMS; the encryption context binds its key use to these two queues.
    allowServiceKeyUse(props.encryptionKey, {
      sid: 'EventBridgeToVerificationQueues',
      service: 'events.amazonaws.com',
      via: 'sqs',
      resourceArns: [requestsName, deadLettersName].map((name) => arnOfName(this, 'sqs', name)),
      sourceAccount: false,
    });
    new lambda.EventSourceMapping(this, 'Schedule', {
      target: props.scheduler,
      eventSourceArn: this.requests.queueArn,
      batchSize: 50,
      // Coalesce a burst: one execution, one query, for up to 50 changes gathered within 2 s.
      maxBatchingWindow: Duration.seconds(2),
      maxConcurrency: maxConcurrent,
      reportBatchItemFailures: true,
    });
    grantSqsEventSource(props.scheduler, [this.requests.queueArn], props.encryptionKey);
    this.stateMachine.stateMachine.grantStartSyncExecution(props.scheduler);
  }

  /**
   * Only this rule of this account may send (an explicit policy: CDK's SqsQueue target drops the source-ARN
   * condition for encrypted queues and grants EventBridge the key without any condition).
   */
  private allowRuleToSend(queues: sqs.Queue[]): void {
    for (const queue of queues) allowOnlyRuleToSend(queue, this.rule, 'OnlyTheChangePublishedRule');
  }
}
