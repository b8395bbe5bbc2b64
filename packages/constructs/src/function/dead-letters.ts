import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { arnOfName } from '../encryption';

/**
 * A dead-letter queue's redrive-allow policy: only the named source queue may move messages into it (SQS
 * `RedriveAllowPolicy`, `byQueue`; Control Tower CT.SQS.PR.1 asks every dead-letter queue for one). The source
 * is named, not referenced: its own redrive policy already references the dead-letter queue, so a reference
 * back would be a dependency cycle.
 */
export function redriveOnlyFrom(scope: Construct, id: string, sourceQueueName: string): sqs.RedriveAllowPolicy {
  return { sourceQueues: [sqs.Queue.fromQueueArn(scope, id, arnOfName(scope, 'sqs', sourceQueueName))] };
}

/**
 * A queue that takes failures from a service other than SQS (an EventBridge target's dead letters, an event
 * source mapping's on-failure destination): no queue may redrive into it. Control Tower CT.SQS.PR.1 knows only
 * SQS redrives (a queue has a dead-letter queue or is one, allowAll/byQueue) and is acknowledged with why.
 */
export function failureDestinationQueue(scope: Construct, id: string, props: sqs.QueueProps): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    ...props,
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  Validations.of(queue).acknowledge({
    id: 'cdk-validator-cfnguard::sqs_dlq_check',
    reason:
      'the last stop of failures another service delivers (EventBridge, a Lambda event source); ' +
      'no queue may redrive into it (denyAll), and an alarm fires on its first message',
  });
  return queue;
}
