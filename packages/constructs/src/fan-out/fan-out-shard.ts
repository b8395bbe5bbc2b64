import { ALL_SERVICES, TARGET_SERVICES_ATTRIBUTE } from '@ffc/identifiers';
import { ArnFormat, Duration, NestedStack, NestedStackProps, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { redriveOnlyFrom } from '../function';
import { resourceName } from '../naming';

// The attribute the validator sets on every published change (the target service ids, or ALL_SERVICES).
export { ALL_SERVICES, TARGET_SERVICES_ATTRIBUTE };

/** Built by {@link RegionalFanOut}, which documents the defaults; every field is required here. */
export interface FanOutShardProps extends NestedStackProps {
  /** Stage name; the queues are `<stage>-fanout-<service>` and `<stage>-fanoutdlq-<service>`. */
  readonly stage: string;
  /** The services of this shard (from {@link assignShards}); each gets a queue, a dead-letter queue and a subscription. */
  readonly services: readonly string[];
  /** The regional fan-out topic, in the parent stack. */
  readonly topic: sns.ITopic;
  /** The alias (in the parent stack) of the key that encrypts the queues, e.g. `alias/<stage>-fanout-queues`. */
  readonly queueKeyAliasName: string;
  /** The cache updater: an event source mapping per queue invokes it. */
  readonly consumer: lambda.IFunction;
  /** Messages per invocation from one queue. */
  readonly batchSize: number;
  /** The maximum concurrency of each queue's event source. */
  readonly maxConcurrencyPerQueue: number;
  /** Deliveries before a message moves to its dead-letter queue. */
  readonly maxReceiveCount: number;
  /** The queues' visibility timeout: at least the consumer's timeout. */
  readonly visibilityTimeout: Duration;
  /** Retain the queues when the stack is deleted. */
  readonly production: boolean;
}

/** The queue names of a stage: `<stage>-fanout-<service>` and `<stage>-fanoutdlq-<service>`. */
export function fanOutQueueNamePrefix(stage: string): string {
  return `${resourceName(stage, 'fanout')}-`;
}

function deadLetterQueueName(stage: string, service: string): string {
  return `${resourceName(stage, 'fanoutdlq')}-${service}`;
}

/**
 * One nested stack holding a slice of the services: per service a queue, its dead-letter queue, the topic
 * subscription with its filter and the event source mapping to the cache updater — plus ONE queue policy
 * for the whole shard (a second policy on a queue would silently replace the first at deploy time).
 */
export class FanOutShard extends NestedStack {
  readonly queues: sqs.Queue[] = [];

  constructor(scope: Construct, id: string, props: FanOutShardProps) {
    super(scope, id, props);
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const deadLetterQueues: sqs.Queue[] = [];
    const encryptionMasterKey = kms.Alias.fromAliasName(this, 'QueueKey', props.queueKeyAliasName);
    for (const service of props.services) {
      const queueName = `${fanOutQueueNamePrefix(props.stage)}${service}`;
      const deadLetterQueue = new sqs.Queue(this, `${service}-dlq`, {
        queueName: deadLetterQueueName(props.stage, service),
        redriveAllowPolicy: redriveOnlyFrom(this, `${service}-source`, queueName),
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
      const queue = new sqs.Queue(this, service, {
        queueName,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey,
        dataKeyReuse: Duration.hours(1),
        visibilityTimeout: props.visibilityTimeout,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
        removalPolicy,
      });
      // sns.Subscription, not SqsSubscription: the latter cannot subscribe a nested stack's queue to a parent's topic.
      new sns.Subscription(this, `${service}-subscription`, {
        topic: props.topic,
        endpoint: queue.queueArn,
        protocol: sns.SubscriptionProtocol.SQS,
        rawMessageDelivery: true,
        filterPolicy: {
          [TARGET_SERVICES_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: [service, ALL_SERVICES] }),
        },
      });
      new lambda.EventSourceMapping(this, `${service}-updates`, {
        target: props.consumer,
        eventSourceArn: queue.queueArn,
        batchSize: props.batchSize,
        maxConcurrency: props.maxConcurrencyPerQueue,
        reportBatchItemFailures: true,
      });
      // By its alias name: CDK writes an alias's ARN as an Fn::Join, which cfn-guard (CT.SQS.PR.2) cannot read as a key.
      for (const q of [queue, deadLetterQueue]) {
        (q.node.defaultChild as sqs.CfnQueue).kmsMasterKeyId = props.queueKeyAliasName;
      }
      this.queues.push(queue);
      deadLetterQueues.push(deadLetterQueue);
    }
    this.addShardQueuePolicy(props.stage, props.topic, deadLetterQueues);
  }

  private addShardQueuePolicy(stage: string, topic: sns.ITopic, deadLetterQueues: sqs.Queue[]): void {
    const all = [...this.queues, ...deadLetterQueues];
    // Name patterns keep the document the same small size whatever the shard's size (queue policies are capped in bytes).
    const queueArns = (namePrefix: string) =>
      Stack.of(this).formatArn({ service: 'sqs', resource: `${namePrefix}*`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const fanOutQueuePattern = queueArns(fanOutQueueNamePrefix(stage));
    const deadLetterQueuePattern = queueArns(`${resourceName(stage, 'fanoutdlq')}-`);
    const policy = new sqs.CfnQueuePolicy(this, 'QueuePolicy', {
      queues: all.map((q) => q.queueUrl),
      policyDocument: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'DenyInsecureTransport',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['sqs:*'],
            resources: [fanOutQueuePattern, deadLetterQueuePattern],
            conditions: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          new iam.PolicyStatement({
            sid: 'OnlyTheFanOutTopicSends',
            principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [fanOutQueuePattern],
            conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
          }),
        ],
      }).toJSON(),
    });
    // Subscriptions must not deliver before the topic may send.
    for (const child of this.node.children) {
      if (child instanceof sns.Subscription) child.node.addDependency(policy);
    }
  }
}
