import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { allowServiceKeyUse, arnOfName } from '../encryption';
import { resourceName } from '../naming';

export interface SloAlarmsProps {
  readonly stage: string;
  readonly alertTopic: sns.ITopic;
  /** The alert topic's key: CloudWatch needs a data key to publish to the encrypted topic. */
  readonly encryptionKey: kms.IKey;
  readonly validator: lambda.IFunction;
  readonly fanOutTopic: sns.ITopic;
  readonly cacheUpdater: lambda.IFunction;
  readonly verification: sfn.IStateMachine;
  readonly consistencyChecker: lambda.IFunction;
  readonly rollback: lambda.IFunction;
  readonly auditQueue: sqs.IQueue;
  readonly auditDeadLetters: sqs.IQueue;
}

/** One alarm per hop of the path, at the hop's budget: validation 2 s, caches 3 s, verification 15 s, check 5 s, rollback 8 s. */
export class SloAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: SloAlarmsProps,
  ) {
    super(scope, id);
    this.allowAlarmsToPublish();
    const p99 = (fn: lambda.IFunction) => fn.metricDuration({ statistic: 'p99', period: Duration.minutes(1) });
    const sum = (metric: cloudwatch.Metric) => metric.with({ statistic: 'Sum', period: Duration.minutes(1) });

    this.add('validator-slow', 'validation p99 over its 2 s budget', p99(props.validator), 2000);
    this.add('validator-errors', 'validator failed', sum(props.validator.metricErrors()), 0);
    this.add(
      'fanout-failed',
      'SNS could not deliver to a service queue',
      sum(props.fanOutTopic.metricNumberOfNotificationsFailed()),
      0,
    );
    this.add('cache-update-slow', 'cache update p99 over its 3 s budget', p99(props.cacheUpdater), 3000);
    this.add('cache-update-errors', 'cache updater failed', sum(props.cacheUpdater.metricErrors()), 0);
    this.add(
      'verification-slow',
      'verification p99 over its 15 s budget',
      props.verification.metricTime({ statistic: 'p99', period: Duration.minutes(1) }),
      15000,
    );
    this.add('verification-failed', 'a verification execution failed', sum(props.verification.metricFailed()), 0);
    this.add(
      'consistency-check-slow',
      'consistency check p99 over its 5 s budget',
      p99(props.consistencyChecker),
      5000,
    );
    this.add('rollback-slow', 'rollback p99 over its 8 s budget', p99(props.rollback), 8000);
    this.add('rollback-happened', 'a change was rolled back', sum(props.rollback.metricInvocations()), 0);
    this.add(
      'audit-backlog',
      'audit events waiting over 5 minutes (OpenSearch down?)',
      props.auditQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) }),
      300,
    );
    this.add(
      'audit-dead-letters',
      'audit events in the dead-letter queue',
      props.auditDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      0,
    );
  }

  /**
   * CloudWatch publishes alarm notifications as its service principal: the topic policy must admit it (the
   * TLS-only policy replaced SNS's default one) and the key policy must give it a data key, both only for this
   * stage's alarms in this account.
   */
  private allowAlarmsToPublish(): void {
    const stack = Stack.of(this);
    const topicName = resourceName(this.props.stage, 'alerts');
    this.props.alertTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisStage',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.props.alertTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${resourceName(this.props.stage, 'alarm')}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    allowServiceKeyUse(this.props.encryptionKey, {
      sid: 'CloudWatchAlarmsToAlertTopic',
      service: 'cloudwatch.amazonaws.com',
      via: 'sns',
      resourceArns: [arnOfName(this, 'sns', topicName)],
    });
  }

  private add(purpose: string, description: string, metric: cloudwatch.IMetric, threshold: number): void {
    const alarm = new cloudwatch.Alarm(this, purpose, {
      alarmName: resourceName(this.props.stage, `alarm-${purpose}`),
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.props.alertTopic));
    this.alarms.push(alarm);
  }
}
