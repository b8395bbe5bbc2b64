import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantKeyUse } from '../encryption';
import { FfcFunction, grantSendToEncryptedQueue, grantSqsEventSource, redriveOnlyFrom } from '../function';
import { resourceName } from '../naming';
import { IPrivateNetwork } from '../network';
import { CHANGE_POLICY_ENV, ChangePolicySpec } from '../validator';

/**
 * What the flag writer's code calls: reads for validation and idempotency, the store's conditional put (a
 * transaction authorised as its Put and ConditionCheck parts), and the audit queue.
 */
export const FLAG_WRITER_CALLS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:ConditionCheckItem',
  'sqs:SendMessage',
] as const;

/** What an operator (a person's role, CI) needs to change flags: send write requests and read the table. */
export const FLAG_OPERATOR_ACTIONS = {
  queue: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
  table: ['dynamodb:GetItem', 'dynamodb:Query'],
} as const;

export interface FlagWriterProps {
  /** Stage name: the queue is `<stage>-flag-writer`, the function `<stage>-flag-writer`. */
  readonly stage: string;
  /** The flag table (this region's replica): the only table the writer may write. */
  readonly flagTable: dynamodb.ITable;
  /** The network the function runs in; it reaches DynamoDB and the SQS endpoint through it. */
  readonly network: IPrivateNetwork;
  /** Encrypts the queues, the function's environment and its logs. */
  readonly encryptionKey: kms.IKey;
  /** The durable audit queue: rejections are audited as `change.rejected`. */
  readonly auditQueue: sqs.IQueue;
  /** Every region the stage serves: the rules' last known good is verified in all of them. */
  readonly regions: readonly string[];
  /**
   * The stage's change windows and freezes: the writer judges a change by the same policy as the validators.
   * @default - any time, no freezes
   */
  readonly changePolicy?: ChangePolicySpec;
  /**
   * The bundled handler.
   * @default - the flag writer bundled with this library
   */
  readonly code?: lambda.Code;
  /** Retained queues and log group, long log retention. @default false */
  readonly production?: boolean;
}

/**
 * The one way an operator's change enters the flag table: a write request sent to the writer queue, written by
 * the flag-writer function with `changedBy` taken from the message's SenderId and `changedAt` from its
 * SentTimestamp (SQS sets both from the signed request; the sender cannot). Operators get
 * {@link operatorPolicy}: send to the queue and read the table, never write it. The queue is a standard one:
 * a flag's requests are ordered by the store's version condition (each names the version it was made on),
 * one message per invocation, and a redelivery is recognised by its correlation id.
 */
export class FlagWriter extends Construct {
  readonly queue: sqs.Queue;
  /** Requests that failed (the table or the audit queue unreachable) three times. */
  readonly deadLetters: sqs.Queue;
  readonly function: lambda.Function;
  /** Attach to operator roles (and CI's): everything `ffc set` and `ffc archive` need, and no table write. */
  readonly operatorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: FlagWriterProps) {
    super(scope, id);
    const production = props.production ?? false;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const key = props.encryptionKey;
    const writer = new FfcFunction(this, 'Function', {
      stage: props.stage,
      purpose: 'flag-writer',
      code: props.code ?? lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'handlers', 'flagWriter')),
      handlerCalls: FLAG_WRITER_CALLS,
      network: props.network,
      encryptionKey: key,
      timeout: Duration.seconds(15),
      production,
      environment: {
        FLAG_TABLE_NAME: props.flagTable.tableName,
        AUDIT_QUEUE_URL: props.auditQueue.queueUrl,
        REGIONS: props.regions.join(','),
        PRODUCTION: String(production),
        ...(props.changePolicy && { [CHANGE_POLICY_ENV]: JSON.stringify(props.changePolicy) }),
      },
    });
    this.function = writer.function;
    props.network.allowApiCalls(writer.securityGroup);
    props.network.allowDynamoDb(writer.securityGroup);

    this.deadLetters = new sqs.Queue(this, 'Dlq', {
      queueName: resourceName(props.stage, 'flag-writer-dlq'),
      redriveAllowPolicy: redriveOnlyFrom(this, 'DlqSource', resourceName(props.stage, 'flag-writer')),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: resourceName(props.stage, 'flag-writer'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // An operator waits for the version to land: a request nobody wrote within a day is stale anyway.
      retentionPeriod: Duration.days(1),
      visibilityTimeout: Duration.seconds(writer.timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 3 },
      removalPolicy,
    });
    new lambda.EventSourceMapping(this, 'Requests', {
      target: this.function,
      eventSourceArn: this.queue.queueArn,
      // One request per invocation: each is conditional on the version the one before may have written.
      batchSize: 1,
      reportBatchItemFailures: true,
      maxConcurrency: 2,
    });
    grantSqsEventSource(this.function, [this.queue.queueArn], key);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: FLAG_WRITER_CALLS.filter((action) => action.startsWith('dynamodb:')),
        resources: [props.flagTable.tableArn],
      }),
    );
    grantSendToEncryptedQueue(this.function, props.auditQueue, key);

    this.operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      description: `ffc operators of ${props.stage}: send write requests to the flag writer, read the flag table`,
      statements: [
        new iam.PolicyStatement({ actions: [...FLAG_OPERATOR_ACTIONS.queue], resources: [this.queue.queueArn] }),
        new iam.PolicyStatement({ actions: [...FLAG_OPERATOR_ACTIONS.table], resources: [props.flagTable.tableArn] }),
      ],
    });
    grantKeyUse(key, this.operatorPolicy, { via: 'sqs', resourceArns: [this.queue.queueArn], access: 'write' });
  }
}
