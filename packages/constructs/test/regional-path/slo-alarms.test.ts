import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { InvalidPropError, SloAlarms, SloBudgets } from '../../src';
import { ACCOUNT, REGION } from '../support/small-region';

function synth(budgets?: SloBudgets): Template {
  const stack = new Stack(new App(), 'Alarms', { env: { account: ACCOUNT, region: REGION } });
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
  new SloAlarms(stack, 'Alarms', {
    stage: 'pr-7',
    alertTopic: new sns.Topic(stack, 'Alerts', { topicName: 'pr-7-alerts' }),
    encryptionKey: new kms.Key(stack, 'Key'),
    validator: fn('Validator'),
    fanOutTopic: new sns.Topic(stack, 'FanOut'),
    cacheUpdater: fn('CacheUpdater'),
    verification: new sfn.StateMachine(stack, 'Verification', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')),
    }),
    consistencyChecker: fn('ConsistencyChecker'),
    rollback: fn('Rollback'),
    auditQueue: new sqs.Queue(stack, 'Audit'),
    auditDeadLetters: new sqs.Queue(stack, 'AuditDlq'),
    budgets,
  });
  return Template.fromStack(stack);
}

/** Alarm name → [metric, statistic, threshold] of each alarm. */
function alarms(template: Template): Record<string, [string, string, number]> {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => [
      a.Properties.AlarmName.replace('pr-7-alarm-', ''),
      [a.Properties.MetricName, a.Properties.ExtendedStatistic ?? a.Properties.Statistic, a.Properties.Threshold],
    ]),
  );
}

describe('SloAlarms', () => {
  test("defaults are the mission's budgets: validation 2 s, caches 3 s, verification 15 s, consistency 5 s, rollback 8 s", () => {
    const byName = alarms(synth());
    // Lambda Duration and Step Functions ExecutionTime are in milliseconds, SQS message age in seconds.
    expect(byName['validator-slow']).toEqual(['Duration', 'p99', 2000]);
    expect(byName['cache-update-slow']).toEqual(['Duration', 'p99', 3000]);
    expect(byName['verification-slow']).toEqual(['ExecutionTime', 'p99', 15000]);
    expect(byName['consistency-check-slow']).toEqual(['Duration', 'p99', 5000]);
    expect(byName['rollback-slow']).toEqual(['Duration', 'p99', 8000]);
    expect(byName['audit-backlog']).toEqual(['ApproximateAgeOfOldestMessage', 'Maximum', 300]);
    // Failures alarm on the first one in a minute.
    expect(byName['validator-errors']).toEqual(['Errors', 'Sum', 0]);
    expect(byName['fanout-failed']).toEqual(['NumberOfNotificationsFailed', 'Sum', 0]);
    expect(byName['rollback-happened']).toEqual(['Invocations', 'Sum', 0]);
  });

  test('a budget given as a prop moves its alarm and nothing else', () => {
    const tuned = alarms(synth({ validation: Duration.millis(1500), auditBacklogAge: Duration.minutes(15) }));
    const defaults = alarms(synth());
    expect(tuned['validator-slow'][2]).toBe(1500);
    expect(tuned['audit-backlog'][2]).toBe(900);
    const unchanged = (byName: typeof tuned) =>
      Object.entries(byName).filter(([name]) => name !== 'validator-slow' && name !== 'audit-backlog');
    expect(unchanged(tuned)).toEqual(unchanged(defaults));
  });

  test('every alarm notifies the alert topic, and fires only on breaching data', () => {
    for (const alarm of Object.values(synth().findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alerts/) }]);
      expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  test('a budget that is not positive is refused before anything is deployed', () => {
    expect(() => synth({ rollback: Duration.seconds(0) })).toThrow(InvalidPropError);
    expect(() => synth({ rollback: Duration.seconds(0) })).toThrow(/rollback must be a positive duration/);
  });
});

describe('the regional dashboard', () => {
  const template = synth({ caches: Duration.millis(2500) });
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  /** The body with CloudFormation references replaced by placeholders. */
  const body = JSON.parse(
    dashboard.Properties.DashboardBody['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'REF')).join(''),
  );
  const widgets: Array<{ properties: Record<string, any> }> = body.widgets;

  test('is named from the stage and the region (dashboards are account-wide)', () => {
    expect(dashboard.Properties.DashboardName).toBe(`pr-7-dashboard-${REGION}`);
  });

  test('has a latency graph per hop with its budget as a line, in the unit of its metric', () => {
    const budgets = Object.fromEntries(
      widgets
        .filter((w) => w.properties.annotations)
        .map((w) => [w.properties.title.split(' (')[0], w.properties.annotations.horizontal[0].value]),
    );
    expect(budgets).toEqual({
      Validation: 2000,
      'Fan-out': 1,
      Caches: 2500,
      Verification: 15000,
      'Consistency check': 5000,
      Rollback: 8000,
      Audit: 300,
    });
  });

  test("the fan-out graph searches this stage's service queues, not their dead-letter queues", () => {
    const [fanOut] = widgets.filter((w) => w.properties.title.startsWith('Fan-out') && w.properties.annotations);
    const [[expression]] = fanOut.properties.metrics;
    expect(expression.expression).toContain('MetricName="ApproximateAgeOfOldestMessage" "pr-7-fanout-"');
  });
});
