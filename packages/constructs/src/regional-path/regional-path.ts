import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AuditPipeline } from '../audit';
import { RegionalRedis } from '../cache';
import { EncryptionKey, allowLogGroupEncryption } from '../encryption';
import { RegionalFanOut } from '../fan-out';
import { FfcFunction, grantSendToEncryptedQueue } from '../function';
import { resourceName } from '../naming';
import { PrivateNetwork } from '../network';
import { ChangePolicySpec, ValidatorSource } from '../validator';
import { Verification } from '../verification';
import { SloAlarms, SloBudgets } from './slo-alarms';

/** The Lambda handlers of one region, each a bundled `index.js` exporting `handler`. */
export interface RegionalHandlers {
  /** Consumes the flag table's stream: runs the rules, restores rejected writes, publishes accepted ones. */
  readonly validator: lambda.Code;
  /** Consumes every service's fan-out queue and writes the change into the regional Redis. */
  readonly cacheUpdater: lambda.Code;
  /** Consumes the "change published" queue in batches and starts one verification workflow per batch. */
  readonly verificationScheduler: lambda.Code;
  /** Compares what each service applied (Logs Insights results, Redis) with what was published. */
  readonly consistencyChecker: lambda.Code;
  /** Writes last known good back over a change that failed verification, conditional on the bad version. */
  readonly rollback: lambda.Code;
  /** Drains the audit queue into OpenSearch with bulk requests. */
  readonly auditWriter: lambda.Code;
}

/** The handlers this library ships (bundled from @ffc/functions at build time). */
export function bundledHandlers(): RegionalHandlers {
  const code = (name: keyof RegionalHandlers) =>
    lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'handlers', name));
  return {
    validator: code('validator'),
    cacheUpdater: code('cacheUpdater'),
    verificationScheduler: code('verificationScheduler'),
    consistencyChecker: code('consistencyChecker'),
    rollback: code('rollback'),
    auditWriter: code('auditWriter'),
  };
}

/**
 * The IAM actions each bundled handler's own code calls (the AWS SDK commands in packages/functions, and the
 * audit writer's OpenSearch bulk request); DynamoDB transactions are authorised as their Put/Delete parts.
 * Each function's role holds these plus what Lambda does for it (logs, traces, network interfaces, event
 * source polling), nothing more; the deploy preflight holds the synthesised roles to this list.
 */
export const HANDLER_CALLS: Record<keyof RegionalHandlers, readonly string[]> = {
  validator: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'sns:Publish',
    'events:PutEvents',
    'sqs:SendMessage',
  ],
  cacheUpdater: ['secretsmanager:GetSecretValue'],
  verificationScheduler: ['states:StartSyncExecution'],
  consistencyChecker: ['secretsmanager:GetSecretValue', 'sqs:SendMessage'],
  rollback: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'sqs:SendMessage'],
  // Bulk writes in the primary region; PutEvents to the regional default bus everywhere else (AuditPipeline).
  auditWriter: ['es:ESHttpPost', 'events:PutEvents'],
};

export interface RegionalPathProps {
  /** Stage name: every named resource is `<stage>-<purpose>`. */
  readonly stage: string;
  /**
   * Production: Multi-AZ Redis and OpenSearch, retained data, long retention.
   * @default false - a test stage: single nodes, destroyed with the stack, 7-day logs
   */
  readonly production?: boolean;
  /** This region's replica of the flag table (stream of old and new images). */
  readonly flagTable: dynamodb.ITable;
  /** Service ids of the catalogue. */
  readonly services: readonly string[];
  /** Every region flags are served in: last known good is a version verified in all of them. */
  readonly regions: readonly string[];
  /**
   * The region holding the stage's one audit history (its OpenSearch domain); the others forward to it.
   * @default - the first of `regions`
   */
  readonly primaryRegion?: string;
  /**
   * Handler bundles; custom ones must call no more than {@link HANDLER_CALLS}.
   * @default - the handlers bundled with this library
   */
  readonly handlers?: RegionalHandlers;
  /**
   * Nested stacks the fan-out queues are spread over; fixed for a stage's lifetime (see RegionalFanOutProps.shardCount).
   * @default 4
   */
  readonly fanOutShards?: number;
  /**
   * Verification workflows running at once, within 2..30 (Logs Insights allows 30 concurrent queries per account and region).
   * @default 10
   */
  readonly maxConcurrentVerifications?: number;
  /**
   * The alarm thresholds per hop.
   * @default - the mission's budgets: validation 2 s, fan-out 1 s, caches 3 s, verification 15 s, consistency 5 s, rollback 8 s
   */
  readonly sloBudgets?: SloBudgets;
  /**
   * The stage's change windows, freezes and time zone, which the stream validator judges every change by
   * (the flag writer and `ffc set` take the same policy).
   * @default - no windows, no freezes, UTC
   */
  readonly changePolicy?: ChangePolicySpec;
}

/**
 * One region's whole path: stream → validator → fan-out → cache updater → verification → consistency →
 * rollback → audit, with alarms on every hop. Every function has its own role and security group, granted
 * exactly what its handler calls and reaches.
 */
export class RegionalPath extends Construct {
  readonly network: PrivateNetwork;
  /** The region's key: every queue, topic, log group, cache and domain of the path is encrypted with it. */
  readonly encryptionKey: kms.IKey;
  readonly fanOut: RegionalFanOut;
  readonly redis: RegionalRedis;
  readonly verification: Verification;
  readonly audit: AuditPipeline;
  readonly alerts: sns.Topic;
  readonly alarms: SloAlarms;
  readonly functions: Record<keyof RegionalHandlers, lambda.Function>;

  constructor(scope: Construct, id: string, props: RegionalPathProps) {
    super(scope, id);
    const { stage } = props;
    const production = props.production ?? false;
    const { key } = new EncryptionKey(this, 'Key', { stage, purpose: 'regional', production });
    // The function log groups and the state machine's: CloudWatch Logs encrypts them with this key.
    allowLogGroupEncryption(key, [`/aws/lambda/${stage}-*`, `/aws/vendedlogs/states/${stage}-*`]);
    this.encryptionKey = key;
    // The VPC flow logs too: every log group of the stage is encrypted the same way.
    this.network = new PrivateNetwork(this, 'Network', { stage, production, encryptionKey: key });
    const handlers = props.handlers ?? bundledHandlers();
    const common = { REGIONS: props.regions.join(','), PRODUCTION: String(production) };
    const fn = (
      name: keyof RegionalHandlers,
      purpose: string,
      timeout: Duration,
      environment: Record<string, string> = {},
    ) =>
      new FfcFunction(this, name, {
        stage,
        purpose,
        code: handlers[name],
        handlerCalls: HANDLER_CALLS[name],
        network: this.network,
        encryptionKey: key,
        timeout,
        production,
        environment: { ...common, ...environment },
      });

    this.alerts = new sns.Topic(this, 'Alerts', {
      topicName: resourceName(stage, 'alerts'),
      masterKey: key,
      enforceSSL: true,
    });
    const eventBus = new events.EventBus(this, 'Events', { eventBusName: resourceName(stage, 'flag-events') });
    this.redis = new RegionalRedis(this, 'Redis', { stage, network: this.network, encryptionKey: key, production });

    const validator = fn('validator', 'validator', Duration.seconds(30));
    const cacheUpdater = fn('cacheUpdater', 'cache-updater', Duration.seconds(20));
    const consistencyChecker = fn('consistencyChecker', 'consistency-checker', Duration.seconds(10));
    const rollback = fn('rollback', 'rollback', Duration.seconds(15), { FLAG_TABLE_NAME: props.flagTable.tableName });
    const auditWriter = fn('auditWriter', 'audit-writer', Duration.seconds(60));
    const verificationScheduler = fn('verificationScheduler', 'verification-scheduler', Duration.minutes(2));
    for (const caller of [validator, cacheUpdater, consistencyChecker, rollback, verificationScheduler]) {
      this.network.allowApiCalls(caller.securityGroup);
    }
    for (const tableUser of [validator, rollback]) this.network.allowDynamoDb(tableUser.securityGroup);

    this.fanOut = new RegionalFanOut(this, 'FanOut', {
      stage,
      services: props.services,
      encryptionKey: key,
      consumer: cacheUpdater.function,
      shardCount: props.fanOutShards,
      production,
    });
    cacheUpdater.function.addEnvironment('QUEUE_NAME_PREFIX', this.fanOut.queueNamePrefix);
    // Each as its own Redis user: the updater writes entries, the checker reads readers' acknowledgements.
    for (const [client, role] of [
      [cacheUpdater, 'cacheUpdater'],
      [consistencyChecker, 'consistencyChecker'],
    ] as const) {
      for (const [name, value] of Object.entries(this.redis.grantAccess(client, role))) {
        client.function.addEnvironment(name, value);
      }
    }

    new ValidatorSource(this, 'ValidatorSource', {
      stage,
      flagTable: props.flagTable,
      validator: validator.function,
      encryptionKey: key,
      changePolicy: props.changePolicy,
    });
    grantItemActions(props.flagTable, validator, HANDLER_CALLS.validator);
    this.fanOut.grantPublish(validator.function);
    eventBus.grantPutEventsTo(validator.function);
    validator.function.addEnvironment('FLAG_TABLE_NAME', props.flagTable.tableName);
    validator.function.addEnvironment('FAN_OUT_TOPIC_ARN', this.fanOut.topic.topicArn);
    validator.function.addEnvironment('EVENT_BUS_NAME', eventBus.eventBusName);

    grantItemActions(props.flagTable, rollback, HANDLER_CALLS.rollback);

    this.verification = new Verification(this, 'Verification', {
      stage,
      production,
      eventBus,
      scheduler: verificationScheduler.function,
      maxConcurrentVerifications: props.maxConcurrentVerifications,
      appliedLogGroup: cacheUpdater.logGroup,
      consistencyChecker: consistencyChecker.function,
      rollback: rollback.function,
      flagTable: props.flagTable,
      alertTopic: this.alerts,
      encryptionKey: key,
    });
    verificationScheduler.function.addEnvironment(
      'STATE_MACHINE_ARN',
      this.verification.stateMachine.stateMachine.stateMachineArn,
    );

    this.audit = new AuditPipeline(this, 'Audit', {
      stage,
      network: this.network,
      encryptionKey: key,
      writer: auditWriter,
      primaryRegion: props.primaryRegion ?? props.regions[0],
      production,
    });
    for (const [name, value] of Object.entries(this.audit.writerEnvironment)) {
      auditWriter.function.addEnvironment(name, value);
    }
    for (const producer of [validator, consistencyChecker, rollback]) {
      grantSendToEncryptedQueue(producer.function, this.audit.queue, key);
      producer.function.addEnvironment('AUDIT_QUEUE_URL', this.audit.queue.queueUrl);
    }

    this.functions = {
      validator: validator.function,
      cacheUpdater: cacheUpdater.function,
      verificationScheduler: verificationScheduler.function,
      consistencyChecker: consistencyChecker.function,
      rollback: rollback.function,
      auditWriter: auditWriter.function,
    };
    this.alarms = new SloAlarms(this, 'Alarms', {
      stage,
      alertTopic: this.alerts,
      encryptionKey: key,
      validator: validator.function,
      fanOutTopic: this.fanOut.topic,
      cacheUpdater: cacheUpdater.function,
      verification: this.verification.stateMachine.stateMachine,
      consistencyChecker: consistencyChecker.function,
      rollback: rollback.function,
      auditQueue: this.audit.queue,
      auditDeadLetters: this.audit.deadLetters,
      auditRouteDeadLetters: this.audit.route.deadLetters,
      budgets: props.sloBudgets,
    });
  }
}

/** The item-level DynamoDB actions of `calls` on the flag table, and no other (CDK's grantReadWriteData has ten). */
function grantItemActions(table: dynamodb.ITable, fn: FfcFunction, calls: readonly string[]): void {
  fn.function.addToRolePolicy(
    new iam.PolicyStatement({
      actions: calls.filter((action) => action.startsWith('dynamodb:')),
      resources: [table.tableArn],
    }),
  );
}
