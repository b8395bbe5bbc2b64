import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { grantKeyUse } from '../encryption';

/** What Lambda's SQS event source polls with the function's role (Lambda guide, "Execution role permissions"). */
export const SQS_EVENT_SOURCE_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
] as const;

/**
 * Lets Lambda poll encrypted queues for `fn`: the four SQS calls and decrypt through SQS for those queues only
 * (CDK's grantConsumeMessages adds GetQueueUrl, which no poller calls, and a decrypt without conditions).
 */
export function grantSqsEventSource(fn: lambda.IFunction, queueArns: readonly string[], key: kms.IKey): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...SQS_EVENT_SOURCE_ACTIONS], resources: [...queueArns] }));
  grantKeyUse(key, fn, { via: 'sqs', resourceArns: queueArns, access: 'read' });
}

/**
 * An encrypted queue as an event source's on-failure destination. Lambda sends the failure record with the
 * function's role: SendMessage and a data key through SQS for this queue, nothing else (CDK's SqsDlq grants
 * every send-side action and kms:Encrypt/ReEncrypt*).
 */
export class EncryptedSqsOnFailure implements lambda.IEventSourceDlq {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    grantKeyUse(this.key, targetHandler, { via: 'sqs', resourceArns: [this.queue.queueArn], access: 'write' });
    return { destination: this.queue.queueArn };
  }
}

/** Lets a function send to an encrypted queue: SendMessage (batches included) and a data key for that queue. */
export function grantSendToEncryptedQueue(fn: lambda.IFunction, queue: sqs.IQueue, key: kms.IKey): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  grantKeyUse(key, fn, { via: 'sqs', resourceArns: [queue.queueArn], access: 'write' });
}
