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
import { InvalidPropError } from '../errors';
import { fanOutQueueNamePrefix } from '../fan-out';
import { resourceName } from '../naming';

/**
 * The mission's budget per hop of one change, p99 (the same numbers the local cloud's demo measures against).
 * Each is the default of the {@link SloBudgets} field of the same name.
 */
export const HOP_BUDGETS = {
  validation: Duration.seconds(2),
  fanOut: Duration.seconds(1),
  caches: Duration.seconds(3),
  verification: Duration.seconds(15),
  consistency: Duration.seconds(5),
  rollback: Duration.seconds(8),
} as const;

/** How long audit events may wait for OpenSearch before the backlog alarm fires, by default. */
export const DEFAULT_AUDIT_BACKLOG_AGE = Duration.minutes(5);

/** Alarm thresholds: each hop's p99 latency budget, and how old the oldest waiting audit event may get. */
export interface SloBudgets {
  /**
   * The validator's p99 duration per stream batch (Lambda `Duration`).
   * @default - 2 seconds ({@link HOP_BUDGETS}.validation)
   */
  readonly validation?: Duration;
  /**
   * SNS → queue: the oldest message's age in the fan-out queues. CloudWatch has no per-topic delivery latency and
   * no alarm over a search of 156 queues, so this is the line on the dashboard's fan-out graph; the fan-out's
   * alarm is on failed deliveries.
   * @default - 1 second ({@link HOP_BUDGETS}.fanOut)
   */
  readonly fanOut?: Duration;
  /**
   * The cache updater's p99 duration per batch (Lambda `Duration`).
   * @default - 3 seconds ({@link HOP_BUDGETS}.caches)
   */
  readonly caches?: Duration;
  /**
   * The verification workflow's p99 execution time (Step Functions `ExecutionTime`).
   * @default - 15 seconds ({@link HOP_BUDGETS}.verification)
   */
  readonly verification?: Duration;
  /**
   * The consistency checker's p99 duration (Lambda `Duration`).
   * @default - 5 seconds ({@link HOP_BUDGETS}.consistency)
   */
  readonly consistency?: Duration;
  /**
   * The rollback function's p99 duration (Lambda `Duration`).
   * @default - 8 seconds ({@link HOP_BUDGETS}.rollback)
   */
  readonly rollback?: Duration;
  /**
   * The age of the oldest event in the audit queue (OpenSearch down or the writer failing).
   * @default - 5 minutes ({@link DEFAULT_AUDIT_BACKLOG_AGE})
   */
  readonly auditBacklogAge?: Duration;
}

export interface SloAlarmsProps {
  /** Stage name; alarms are `<stage>-alarm-<purpose>`, the dashboard `<stage>-dashboard-<region>`. */
  readonly stage: string;
  /** Every alarm notifies this topic; its policy gets a statement admitting this stage's alarms. */
  readonly alertTopic: sns.ITopic;
  /** The alert topic's key: CloudWatch needs a data key to publish to the encrypted topic. */
  readonly encryptionKey: kms.IKey;
  /** The stream's validator (hop: validation). */
  readonly validator: lambda.IFunction;
  /** The regional fan-out topic (hop: fan-out). */
  readonly fanOutTopic: sns.ITopic;
  /** The consumer of every service's queue, writing the regional Redis (hop: caches). */
  readonly cacheUpdater: lambda.IFunction;
  /** The Express verification workflow (hop: verification). */
  readonly verification: sfn.IStateMachine;
  /** Compares what every service applied with what was published (hop: consistency). */
  readonly consistencyChecker: lambda.IFunction;
  /** Writes last known good back after a failed verification (hop: rollback). */
  readonly rollback: lambda.IFunction;
  /** The durable audit queue the writer drains into OpenSearch. */
  readonly auditQueue: sqs.IQueue;
  /** Where audit events go after the writer failed them repeatedly. */
  readonly auditDeadLetters: sqs.IQueue;
  /**
   * Where EventBridge puts audit events it could not deliver to the one history (forwarding or feeding it).
   * @default - no alarm on them
   */
  readonly auditRouteDeadLetters?: sqs.IQueue;
  /**
   * The alarm thresholds.
   * @default - the mission's budgets ({@link HOP_BUDGETS}) and a 5-minute audit backlog
   */
  readonly budgets?: SloBudgets;
}

const PERIOD = Duration.minutes(1);

/** One hop of the path: the alarms on it and the graphs of its dashboard row. */
interface Hop {
  /** The dashboard row's title. */
  readonly title: string;
  /** The hop's latency against its budget: alarmed, and graphed with the budget as a line. */
  readonly latency: {
    /** The alarm's purpose (its name's suffix); none where the metric cannot be alarmed on. */
    readonly purpose?: string;
    readonly description: string;
    readonly metric: cloudwatch.IMetric;
    readonly budget: Duration;
    /** Lambda and Step Functions report milliseconds, SQS ages seconds. */
    readonly unit: 'ms' | 's';
  };
  /** Count metrics where any non-zero minute alarms. */
  readonly failures: ReadonlyArray<{ purpose: string; description: string; metric: cloudwatch.IMetric }>;
  /**
   * Graphed, not alarmed.
   * @default - none
   */
  readonly context?: cloudwatch.IMetric[];
}

/**
 * One alarm per hop of the path at the hop's budget (thresholds are props, the mission's budgets the defaults),
 * failure alarms per hop, and a dashboard for the region with a row per hop, each latency graph carrying its
 * budget as a line.
 */
export class SloAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The region's dashboard (CloudWatch dashboards are account-wide, so its name carries the region). */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: SloAlarmsProps,
  ) {
    super(scope, id);
    this.allowAlarmsToPublish();
    const budgets = props.budgets ?? {};
    const budget = (name: keyof typeof HOP_BUDGETS) => checkedBudget(name, budgets[name] ?? HOP_BUDGETS[name]);
    const auditBacklogAge = checkedBudget('auditBacklogAge', budgets.auditBacklogAge ?? DEFAULT_AUDIT_BACKLOG_AGE);
    const p99 = (fn: lambda.IFunction) => fn.metricDuration({ statistic: 'p99', period: PERIOD });
    const sum = (metric: cloudwatch.Metric) => metric.with({ statistic: 'Sum', period: PERIOD });

    const hops: Hop[] = [
      {
        title: 'Validation (stream → validator)',
        latency: {
          purpose: 'validator-slow',
          description: 'validation p99 over budget',
          metric: p99(props.validator),
          budget: budget('validation'),
          unit: 'ms',
        },
        failures: [
          { purpose: 'validator-errors', description: 'validator failed', metric: sum(props.validator.metricErrors()) },
        ],
        context: [props.validator.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD })],
      },
      {
        title: 'Fan-out (topic → service queues)',
        latency: {
          description: 'oldest message in a fan-out queue over budget',
          metric: this.fanOutQueueAge(),
          budget: budget('fanOut'),
          unit: 's',
        },
        failures: [
          {
            purpose: 'fanout-failed',
            description: 'SNS could not deliver to a service queue',
            metric: sum(props.fanOutTopic.metricNumberOfNotificationsFailed()),
          },
        ],
        context: [
          sum(props.fanOutTopic.metricNumberOfMessagesPublished()),
          sum(props.fanOutTopic.metricNumberOfNotificationsDelivered()),
        ],
      },
      {
        title: 'Caches (queue → cache updater → Redis)',
        latency: {
          purpose: 'cache-update-slow',
          description: 'cache update p99 over budget',
          metric: p99(props.cacheUpdater),
          budget: budget('caches'),
          unit: 'ms',
        },
        failures: [
          {
            purpose: 'cache-update-errors',
            description: 'cache updater failed',
            metric: sum(props.cacheUpdater.metricErrors()),
          },
        ],
        context: [sum(props.cacheUpdater.metricThrottles())],
      },
      {
        title: 'Verification (Logs Insights → consistency → verified)',
        latency: {
          purpose: 'verification-slow',
          description: 'verification p99 over budget',
          metric: props.verification.metricTime({ statistic: 'p99', period: PERIOD }),
          budget: budget('verification'),
          unit: 'ms',
        },
        failures: [
          {
            purpose: 'verification-failed',
            description: 'a verification execution failed',
            metric: sum(props.verification.metricFailed()),
          },
        ],
      },
      {
        title: 'Consistency check (applied vs published)',
        latency: {
          purpose: 'consistency-check-slow',
          description: 'consistency check p99 over budget',
          metric: p99(props.consistencyChecker),
          budget: budget('consistency'),
          unit: 'ms',
        },
        failures: [],
        context: [sum(props.consistencyChecker.metricErrors())],
      },
      {
        title: 'Rollback (last known good written back)',
        latency: {
          purpose: 'rollback-slow',
          description: 'rollback p99 over budget',
          metric: p99(props.rollback),
          budget: budget('rollback'),
          unit: 'ms',
        },
        failures: [
          {
            purpose: 'rollback-happened',
            description: 'a change was rolled back',
            metric: sum(props.rollback.metricInvocations()),
          },
        ],
      },
      {
        title: 'Audit (queue → writer → OpenSearch)',
        latency: {
          purpose: 'audit-backlog',
          description: 'audit events waiting for OpenSearch (down?) over budget',
          metric: props.auditQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD }),
          budget: auditBacklogAge,
          unit: 's',
        },
        failures: [
          {
            purpose: 'audit-dead-letters',
            description: 'audit events in the dead-letter queue',
            metric: props.auditDeadLetters.metricApproximateNumberOfMessagesVisible({ period: PERIOD }),
          },
          ...(props.auditRouteDeadLetters
            ? [
                {
                  purpose: 'audit-route-dead-letters',
                  description: 'audit events EventBridge could not carry to the one history',
                  metric: props.auditRouteDeadLetters.metricApproximateNumberOfMessagesVisible({ period: PERIOD }),
                },
              ]
            : []),
        ],
      },
    ];

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      // Dashboards are global to the account: the region keeps the twelve regional ones apart.
      dashboardName: `${resourceName(props.stage, 'dashboard')}-${Stack.of(this).region}`,
      defaultInterval: Duration.hours(3),
    });
    for (const hop of hops) {
      const { latency } = hop;
      if (latency.purpose) {
        const description = `${latency.description} (${latency.budget.toHumanString()})`;
        this.add(latency.purpose, description, latency.metric, threshold(latency));
      }
      for (const failure of hop.failures) this.add(failure.purpose, failure.description, failure.metric, 0);
      this.dashboard.addWidgets(...this.widgets(hop));
    }
  }

  /**
   * The oldest message's age over every fan-out queue of the stage: a search (dashboards only — an alarm
   * cannot watch a search, and a metric-math alarm takes at most 10 metrics).
   */
  private fanOutQueueAge(): cloudwatch.IMetric {
    const prefix = fanOutQueueNamePrefix(this.props.stage);
    return new cloudwatch.MathExpression({
      expression: `MAX(SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateAgeOfOldestMessage" "${prefix}"', 'Maximum', 60))`,
      label: 'oldest message in a fan-out queue (s)',
      period: PERIOD,
      usingMetrics: {},
    });
  }

  private widgets(hop: Hop): cloudwatch.IWidget[] {
    const { latency } = hop;
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: `${hop.title}, ${latency.unit}`,
        left: [latency.metric],
        leftAnnotations: [{ value: threshold(latency), label: `budget ${latency.budget.toHumanString()}` }],
        width: 12,
      }),
    ];
    const counts = [...hop.failures.map((f) => f.metric), ...(hop.context ?? [])];
    if (counts.length) {
      widgets.push(new cloudwatch.GraphWidget({ title: `${hop.title}: counts`, left: counts, width: 12 }));
    }
    return widgets;
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

  private add(purpose: string, description: string, metric: cloudwatch.IMetric, thresholdValue: number): void {
    const alarm = new cloudwatch.Alarm(this, purpose, {
      alarmName: resourceName(this.props.stage, `alarm-${purpose}`),
      alarmDescription: description,
      metric,
      threshold: thresholdValue,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.props.alertTopic));
    this.alarms.push(alarm);
  }
}

/** The budget in the metric's own unit. */
function threshold(latency: Hop['latency']): number {
  return latency.unit === 'ms' ? latency.budget.toMilliseconds() : latency.budget.toSeconds({ integral: false });
}

function checkedBudget(name: keyof SloBudgets, budget: Duration): Duration {
  if (budget.toMilliseconds() <= 0) {
    throw new InvalidPropError('SloAlarms', name, budget.toHumanString(), 'a positive duration');
  }
  return budget;
}
