import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowServiceKeyUse, grantKeyUse } from '../encryption';
import { InvalidPropError, QuotaExceededError } from '../errors';
import { grantSqsEventSource } from '../function';
import { acknowledgeWildcardResource } from '../nag';
import { resourceName } from '../naming';
import { FanOutShard, fanOutQueueNamePrefix } from './fan-out-shard';
import { assignShards } from './shards';

/** SNS allows 200 filter policies per topic; each service's subscription has one. */
export const MAX_SUBSCRIPTIONS_WITH_FILTERS_PER_TOPIC = 200;

export interface RegionalFanOutProps {
  /** Stage name; the topic is `<stage>-flag-changes`, the queues `<stage>-fanout-<service>`. */
  readonly stage: string;
  /** The service ids of the catalogue; each gets a queue, a dead-letter queue and a filtered subscription. */
  readonly services: readonly string[];
  /** Encrypts the topic and the queues; the fan-out adds the key-policy statement SNS needs to deliver. */
  readonly encryptionKey: kms.IKey;
  /** The cache updater: consumes every service's queue. */
  readonly consumer: lambda.IFunction;
  /**
   * Nested stacks the queues are spread over. Keep it fixed for a stage's lifetime: changing it moves
   * (replaces) named queues. Each shard holds ~4 resources per service.
   * @default 4
   */
  readonly shardCount?: number;
  /**
   * Concurrent cache-updater invocations per queue (the SQS event source's maximum concurrency, minimum 2).
   * With 156 queues, 2 caps the whole fan-out at 312 concurrent executions, well under the default regional 1,000.
   * @default 2
   */
  readonly maxConcurrencyPerQueue?: number;
  /**
   * Messages the cache updater receives per invocation from one queue.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Deliveries before a message moves to its dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Production retains the queues (and what they hold) when the stack is deleted.
   * @default false - queues are deleted with the stack
   */
  readonly production?: boolean;
}

/**
 * The regional fan-out: one SNS topic delivering each accepted change to the queues of the services it
 * targets, sharded over nested stacks so no CloudFormation stack nears the 500-resource limit.
 */
export class RegionalFanOut extends Construct {
  readonly topic: sns.Topic;
  readonly shards: FanOutShard[];
  /** Passed to the consumer so it can derive the service from a queue ARN. */
  readonly queueNamePrefix: string;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: RegionalFanOutProps) {
    super(scope, id);
    const shardCount = props.shardCount ?? 4;
    const maxConcurrencyPerQueue = props.maxConcurrencyPerQueue ?? 2;
    if (props.services.length > MAX_SUBSCRIPTIONS_WITH_FILTERS_PER_TOPIC) {
      throw new QuotaExceededError(
        "SNS's filter policies per topic",
        props.services.length,
        MAX_SUBSCRIPTIONS_WITH_FILTERS_PER_TOPIC,
        'split the services over several RegionalFanOut topics',
      );
    }
    if (maxConcurrencyPerQueue < 2 || maxConcurrencyPerQueue > 1000) {
      throw new InvalidPropError(
        'RegionalFanOut',
        'maxConcurrencyPerQueue',
        maxConcurrencyPerQueue,
        "within 2..1000 (the SQS event source's maximum concurrency limits)",
      );
    }
    this.queueNamePrefix = fanOutQueueNamePrefix(props.stage);
    this.encryptionKey = props.encryptionKey;
    this.topic = new sns.Topic(this, 'Resource', {
      topicName: resourceName(props.stage, 'flag-changes'),
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // The shards' queues name the key by this alias, a literal: a key passed into a nested stack arrives as a
    // parameter, which no template check (cfn-guard's CT.SQS.PR.2) can tell from an unencrypted queue's.
    const queueKeyAlias = new kms.Alias(this, 'QueueKeyAlias', {
      aliasName: `alias/${resourceName(props.stage, 'fanout-queues')}`,
      targetKey: props.encryptionKey,
    });
    const consumerTimeout = props.consumer instanceof lambda.Function ? props.consumer.timeout : undefined;
    // SQS needs the visibility timeout to be at least the function's timeout; AWS recommends six times it.
    const visibilityTimeout = Duration.seconds(Math.max(30, (consumerTimeout?.toSeconds() ?? 30) * 6));
    this.shards = assignShards(props.services, shardCount).map(
      (services, index) =>
        new FanOutShard(this, `Shard${index}`, {
          stage: props.stage,
          services,
          topic: this.topic,
          queueKeyAliasName: queueKeyAlias.aliasName,
          consumer: props.consumer,
          batchSize: props.batchSize ?? 10,
          maxConcurrencyPerQueue,
          maxReceiveCount: props.maxReceiveCount ?? 5,
          visibilityTimeout,
          production: props.production ?? false,
          description: `ffc fan-out shard ${index} of ${shardCount} (${props.stage})`,
        }),
    );
    // A queue's key must resolve when the shard creates it.
    for (const shard of this.shards) shard.node.addDependency(queueKeyAlias);
    this.grantConsume(props.consumer, props.encryptionKey);
    // SNS delivers to the encrypted queues: a data key for this stage's fan-out queues only.
    allowServiceKeyUse(props.encryptionKey, {
      sid: 'SnsToFanOutQueues',
      service: 'sns.amazonaws.com',
      via: 'sqs',
      resourceArns: [this.queuePattern()],
    });
  }

  /** Lets a function publish changes: sns:Publish on the topic and a data key for it, through SNS. */
  grantPublish(publisher: lambda.IFunction): void {
    publisher.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    grantKeyUse(this.encryptionKey, publisher, { via: 'sns', resourceArns: [this.topic.topicArn], access: 'write' });
  }

  private queuePattern(): string {
    return Stack.of(this).formatArn({
      service: 'sqs',
      resource: `${this.queueNamePrefix}*`,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
  }

  /** The consumer reads this stage's fan-out queues (a name pattern: one statement for all shards). */
  private grantConsume(consumer: lambda.IFunction, key: kms.IKey): void {
    const queuePattern = this.queuePattern();
    grantSqsEventSource(consumer, [queuePattern], key);
    if (consumer.role) {
      acknowledgeWildcardResource(
        consumer.role,
        queuePattern,
        "The name pattern matches exactly this stage's fan-out queues (one per service, 156+), which one statement must cover; dead-letter queues are named apart and excluded.",
      );
    }
  }
}
