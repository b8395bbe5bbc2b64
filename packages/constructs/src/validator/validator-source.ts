import { CURRENT_SK } from '@ffc/identifiers';
import { Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InvalidPropError } from '../errors';
import { EncryptedSqsOnFailure, failureDestinationQueue } from '../function';
import { resourceName } from '../naming';

/** The validator's environment variable holding the stage's change policy (JSON); its handler parses it. */
export const CHANGE_POLICY_ENV = 'CHANGE_POLICY';

/**
 * A production change window: on these days from `start` to `end` ("HH:MM", end exclusive) on the wall
 * clock of the policy's time zone; an end not after the start runs across midnight into the next day.
 */
export interface ChangeWindowSpec {
  /** Days the window opens on: sun, mon, tue, wed, thu, fri, sat. */
  readonly days: readonly string[];
  /** Opening time, "HH:MM". */
  readonly start: string;
  /** Closing time, "HH:MM", exclusive. */
  readonly end: string;
}

/** A period in which no production change is allowed. */
export interface ChangeFreezeSpec {
  /** ISO 8601 instant the freeze starts. */
  readonly from: string;
  /** ISO 8601 instant the freeze ends (exclusive). */
  readonly to: string;
  /** Why, shown to whoever is refused (e.g. "Black Friday"). */
  readonly reason: string;
}

/**
 * When production changes are allowed. The same policy the write path (`ffc set --change-policy`) applies,
 * so both refuse the same change; a structural copy of @ffc/rules' ChangePolicy, which a published library
 * cannot import (apps/infra's test holds the two assignable).
 */
export interface ChangePolicySpec {
  /**
   * IANA time zone the windows are written in.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Windows production changes must fall in.
   * @default - any time
   */
  readonly changeWindows?: readonly ChangeWindowSpec[];
  /**
   * Periods with no production change.
   * @default - none
   */
  readonly freezes?: readonly ChangeFreezeSpec[];
}

export interface ValidatorSourceProps {
  /** Stage name; the failure queue is `<stage>-validator-failures`. */
  readonly stage: string;
  /** The region's replica of the flag table; its stream must carry old and new images. */
  readonly flagTable: dynamodb.ITable;
  /** The function the stream invokes with each batch of writes to current flag documents. */
  readonly validator: lambda.IFunction;
  /** Encrypts the failure queue. */
  readonly encryptionKey: kms.IKey;
  /**
   * Retries of a failing batch (each bisected) before its records go to the failure queue.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * The stage's change windows and freezes, handed to the validator in {@link CHANGE_POLICY_ENV}; the validator
   * must then be a `lambda.Function` (an imported function's environment cannot be set).
   * @default - no windows, no freezes: the validator judges no change by the time of day
   */
  readonly changePolicy?: ChangePolicySpec;
}

/**
 * The region's stream → validator wiring: only writes to current flag documents, batches split in half on
 * error to isolate a poison record, bounded retries, and the records that still fail recorded in a queue.
 */
export class ValidatorSource extends Construct {
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ValidatorSourceProps) {
    super(scope, id);
    if (props.changePolicy) {
      if (!(props.validator instanceof lambda.Function)) {
        throw new InvalidPropError(
          'ValidatorSource',
          'validator',
          props.validator.functionName,
          'a lambda.Function when a changePolicy is given',
        );
      }
      props.validator.addEnvironment(CHANGE_POLICY_ENV, JSON.stringify(props.changePolicy));
    }
    this.failures = failureDestinationQueue(this, 'Failures', {
      queueName: resourceName(props.stage, 'validator-failures'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the failure destination (dead letters) of the stream event source.',
    });
    props.validator.addEventSource(
      new DynamoEventSource(props.flagTable, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 10,
        // One batch at a time per shard keeps a flag's versions in stream order.
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 3,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new EncryptedSqsOnFailure(this.failures, props.encryptionKey),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { Keys: { sk: { S: lambda.FilterRule.isEqual(CURRENT_SK) } } },
          }),
        ],
      }),
    );
  }
}
