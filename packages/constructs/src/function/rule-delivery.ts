import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Only `rule`, of this account, may send to `queue` (an explicit policy: CDK's SqsQueue target drops the
 * source-ARN condition for encrypted queues).
 */
export function allowOnlyRuleToSend(queue: sqs.Queue, rule: events.IRule, sid: string): void {
  queue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: {
        ArnEquals: { 'aws:SourceArn': rule.ruleArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(queue).account },
      },
    }),
  );
}
