import { Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EncryptedSqsOnFailure } from '../function';
import { resourceName } from '../naming';

/** The sort key of the one item per flag the validator reacts to: the current document. */
export const CURRENT_ITEM_SORT_KEY = 'CURRENT';

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
}

/**
 * The region's stream → validator wiring: only writes to current flag documents, batches split in half on
 * error to isolate a poison record, bounded retries, and the records that still fail recorded in a queue.
 */
export class ValidatorSource extends Construct {
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ValidatorSourceProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
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
            dynamodb: { Keys: { sk: { S: lambda.FilterRule.isEqual(CURRENT_ITEM_SORT_KEY) } } },
          }),
        ],
      }),
    );
  }
}
