import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlagTable, RegionalPath } from '../../src';

const SERVICES = Array.from({ length: 156 }, (_, i) => `service-${String(i).padStart(3, '0')}`);

function build(production: boolean) {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Region', { env: { account: '123456789012', region: 'eu-west-1' } });
  const flags = new FlagTable(stack, 'Flags', { stage: 'pr-7', regions: ['eu-west-1', 'us-east-1'], production });
  const path = new RegionalPath(stack, 'Path', {
    stage: 'pr-7',
    production,
    flagTable: flags.table,
    services: SERVICES,
    regions: ['eu-west-1', 'us-east-1'],
  });
  // Synthesis runs cdk-nag's AwsSolutions pack and throws, listing the findings, on any unacknowledged one.
  const nagFailure = synthesisError(app);
  if (nagFailure) return { nagFailure, template: Template.fromJSON({ Resources: {} }), shards: [] };
  return {
    nagFailure,
    template: Template.fromStack(stack),
    shards: path.fanOut.shards.map((s) => Template.fromStack(s)),
  };
}

function synthesisError(app: App): unknown {
  try {
    app.synth();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The state machine definition with CloudFormation references replaced by placeholders. */
function definition(template: Template): { StartAt: string; States: Record<string, any> } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const [, parts] = machine.Properties.DefinitionString['Fn::Join'];
  return JSON.parse(parts.map((p: unknown) => (typeof p === 'string' ? p : 'REF')).join(''));
}

describe('RegionalPath (test stage)', () => {
  const { template, shards, nagFailure } = build(false);

  test('cdk-nag AwsSolutions reports no unacknowledged finding over the region and its shards', () => {
    // On failure the message lists each finding: rule id, resource path and what to fix.
    expect(nagFailure).toBeUndefined();
  });

  test('no stack nears the 500-resource limit: the largest holds at most 450', () => {
    const counts = [template, ...shards].map((t) => Object.keys(t.toJSON().Resources).length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(450);
  });

  test('verification requests are batched and capped below the Logs Insights concurrency quota', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 2,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'pr-7-change-published',
      EventPattern: { source: ['ffc.validator'], 'detail-type': ['flag-change-published'] },
    });
  });

  test('the verification workflow: wait → query → poll → check → verified | rollback → alert', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
    });
    const { StartAt, States } = definition(template);
    expect(StartAt).toBe('SettleBeforeQuery');
    expect(States.SettleBeforeQuery.Next).toBe('StartQuery');
    expect(States.StartQuery.Resource).toMatch(/aws-sdk:cloudwatchlogs:startQuery/);
    expect(States.StartQuery.Retry[0].ErrorEquals).toEqual(['CloudWatchLogs.LimitExceededException']);
    expect(States.StartQuery.Next).toBe('WaitForResults');
    expect(States.WaitForResults.Next).toBe('GetQueryResults');
    expect(States.GetQueryResults.Next).toBe('QueryDone?');
    const queryDone = States['QueryDone?'];
    expect(queryDone.Choices.map((c: { Next: string }) => c.Next)).toEqual(['CheckConsistency', 'WaitForResults']);
    expect(queryDone.Default).toBe('AlertQueryFailed');
    expect(States.CheckConsistency.Next).toBe('ForEachChange');
    const perChange = States.ForEachChange.ItemProcessor.States;
    expect(perChange['Consistent?'].Choices.map((c: { Next: string }) => c.Next)).toEqual([
      'RecordVerification',
      'AlertRollbackFailed',
    ]);
    expect(perChange['Consistent?'].Default).toBe('RollBack');
    // Versions only go up: the region's record is written only over none or a lower version.
    expect(perChange.RecordVerification.Parameters.ConditionExpression).toMatch(
      /^attribute_not_exists\((\S+)\) OR \1 < :version$/,
    );
    expect(perChange.RecordVerification.Catch[0].ErrorEquals).toEqual(['DynamoDB.ConditionalCheckFailedException']);
    expect(perChange['RolledBack?'].Choices[0].Next).toBe('AlertNoKnownGood');
  });

  test('no policy grants an action wildcard; resource wildcards only where AWS offers nothing narrower', () => {
    // Of the network-interface calls only DescribeNetworkInterfaces lacks resource-level permissions.
    const allowedOnStar = new Set([
      'ec2:DescribeNetworkInterfaces',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'logs:GetQueryResults',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    for (const t of [template, ...shards]) {
      for (const policy of Object.values(t.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          const actions: string[] = [statement.Action].flat();
          for (const action of actions) expect(action).not.toMatch(/(^\*$|:\*$)/);
          if ([statement.Resource].flat().includes('*')) {
            for (const action of actions) expect(allowedOnStar).toContain(action);
          }
        }
      }
    }
  });

  test('a test stage is fully destroyable: nothing retained, short log retention', () => {
    for (const t of [template, ...shards]) {
      for (const resource of Object.values(t.toJSON().Resources) as Array<{ DeletionPolicy?: string }>) {
        expect(resource.DeletionPolicy ?? 'Delete').not.toBe('Retain');
      }
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(7);
    }
  });

  test('one alarm per hop, each notifying the alert topic; one dashboard for the region', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual(
      [
        'audit-backlog',
        'audit-dead-letters',
        // What EventBridge could not carry into the one audit history (AuditRoute's dead-letter queue).
        'audit-route-dead-letters',
        'cache-update-errors',
        'cache-update-slow',
        'consistency-check-slow',
        'fanout-failed',
        'rollback-happened',
        'rollback-slow',
        'validator-errors',
        'validator-slow',
        'verification-failed',
        'verification-slow',
      ].map((name) => `pr-7-alarm-${name}`),
    );
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Dashboard', { DashboardName: 'pr-7-dashboard-eu-west-1' }, 1);
  });
});

describe('RegionalPath (production)', () => {
  const { template, nagFailure } = build(true);

  test('cdk-nag AwsSolutions reports no unacknowledged finding in production either', () => {
    expect(nagFailure).toBeUndefined();
  });

  test('Multi-AZ Redis with failover, retained data, long log retention — from the production flag alone', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 3,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      SnapshotRetentionLimit: 7,
    });
    template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({ ZoneAwarenessEnabled: true, DedicatedMasterEnabled: true }),
    });
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(365);
    }
  });
});
