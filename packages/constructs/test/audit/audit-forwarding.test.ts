import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlagTable, RegionalPath } from '../../src';
import { ACCOUNT, REGION, actionsOf, resource, roleStatements, smallRegion } from '../support/small-region';

/** The design: one history in the primary region (REGION, the first of the regions); OTHER forwards to it. */
const OTHER = 'us-east-1';
const PRIMARY_BUS = `:events:${REGION}:${ACCOUNT}:event-bus/default`;
const AUDIT_PATTERN = { source: ['ffc.audit'], 'detail-type': ['audit-event'], detail: { stage: ['pr-7'] } };

/** A non-primary region's path, cdk-nag on: synthesis throws on an unacknowledged finding. */
function forwardingRegion(production = false): Template {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Other', { env: { account: ACCOUNT, region: OTHER } });
  const flags = new FlagTable(stack, 'Flags', { stage: 'pr-7', regions: [REGION, OTHER], production });
  new RegionalPath(stack, 'Path', {
    stage: 'pr-7',
    production,
    flagTable: flags.table,
    services: ['checkout', 'search'],
    regions: [REGION, OTHER],
  });
  app.synth();
  return Template.fromStack(stack);
}

/** The audit rules (the verification rule of the path is on the stage's own bus). */
const rules = (template: Template) =>
  Object.values(template.findResources('AWS::Events::Rule')).filter((r) => r.Properties.Name.startsWith('pr-7-audit'));
const writerEnvironment = (template: Template) =>
  resource(template, 'AWS::Lambda::Function', 'PathauditWriter').Properties.Environment.Variables;
const joined = (value: unknown) =>
  JSON.stringify(value).replace(/"\]?,?\{?"Ref":"AWS::(Partition|Region|AccountId)"\}?,?\[?"?/g, '');

describe('the one audit history: its domain lives in the primary region only', () => {
  const primary = smallRegion().template;
  const other = forwardingRegion();

  test('the primary region has the domain and its log group; another region has neither', () => {
    expect(Object.keys(primary.findResources('AWS::OpenSearchService::Domain'))).toHaveLength(1);
    expect(other.findResources('AWS::OpenSearchService::Domain')).toEqual({});
    const logGroups = (t: Template) =>
      Object.values(t.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.LogGroupName);
    expect(logGroups(primary)).toContain('/ffc/opensearch/pr-7/audit');
    expect(logGroups(other)).not.toContain('/ffc/opensearch/pr-7/audit');
  });

  test('an event EventBridge could not carry to the history alarms at once, in either kind of region', () => {
    for (const [t, dlq] of [
      [primary, 'PathAuditHistoryDlq'],
      [other, 'PathAuditForwardingDlq'],
    ] as const) {
      const alarm = resource(t, 'AWS::CloudWatch::Alarm', 'PathAlarmsauditroutedeadletters').Properties;
      expect(alarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
      expect(JSON.stringify(alarm.Dimensions)).toContain(dlq);
    }
  });

  test("every region keeps its durable audit queue: the producers' hand-off does not change", () => {
    for (const t of [primary, other]) t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'pr-7-audit' });
  });

  test('the primary writer writes to the domain; the other forwards to its own default bus, with no OpenSearch', () => {
    expect(writerEnvironment(primary)).toMatchObject({ FFC_OPENSEARCH_URL: expect.anything() });
    expect(writerEnvironment(primary).AUDIT_EVENT_BUS_NAME).toBeUndefined();
    expect(writerEnvironment(other)).toMatchObject({ AUDIT_EVENT_BUS_NAME: 'default' });
    expect(writerEnvironment(other).FFC_OPENSEARCH_URL).toBeUndefined();
    const statements = roleStatements(other, 'PathauditWriterRole');
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('es:'))).toEqual([]);
    const putEvents = statements.filter((s) => actionsOf(s).includes('events:PutEvents'));
    expect(putEvents).toHaveLength(1);
    expect(joined(putEvents[0].Resource)).toContain(`:events:${OTHER}:${ACCOUNT}:event-bus/default`);
  });
});

describe('forwarding: the regional default bus → the primary region’s bus', () => {
  const other = forwardingRegion();
  const [forwarding] = rules(other);

  test("one rule on the default bus, for this stage's audit events only (stages share the default bus)", () => {
    expect(rules(other)).toHaveLength(1);
    expect(forwarding.Properties.EventBusName).toBeUndefined();
    expect(forwarding.Properties.Name).toBe('pr-7-audit-forwarding');
    expect(forwarding.Properties.EventPattern).toEqual(AUDIT_PATTERN);
  });

  test('its target is the primary bus ARN with a role and a dead-letter queue of its own', () => {
    const [target] = forwarding.Properties.Targets;
    expect(joined(target.Arn)).toContain(PRIMARY_BUS);
    expect(target.RoleArn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PathAuditForwardingDeliveryRole/), 'Arn'],
    });
    expect(target.DeadLetterConfig.Arn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PathAuditForwardingDlq/), 'Arn'],
    });
    const dlq = resource(other, 'AWS::SQS::Queue', 'PathAuditForwardingDlq').Properties;
    expect(dlq).toMatchObject({ QueueName: 'pr-7-audit-forwarding-dlq', MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(dlq.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PathKey/), 'Arn'] });
  });

  test('the role: assumed by EventBridge for this rule of this account, PutEvents on the primary bus and nothing else', () => {
    const role = resource(other, 'AWS::IAM::Role', 'PathAuditForwardingDeliveryRole').Properties;
    const [trust] = role.AssumeRolePolicyDocument.Statement;
    expect(trust.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(joined(trust.Condition.ArnEquals['aws:SourceArn'])).toContain(
      `:events:${OTHER}:${ACCOUNT}:rule/pr-7-audit-forwarding`,
    );
    const statements = roleStatements(other, 'PathAuditForwardingDeliveryRole');
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('events:PutEvents');
    expect(joined(statements[0].Resource)).toContain(PRIMARY_BUS);
  });

  test('the dead-letter queue takes messages from this rule alone, and the key admits EventBridge for it alone', () => {
    const policy = Object.values(other.findResources('AWS::SQS::QueuePolicy')).find((p) =>
      JSON.stringify(p.Properties.Queues).includes('PathAuditForwardingDlq'),
    )!;
    const [sender] = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Sid === 'OnlyTheAuditRule');
    expect(sender.Condition.ArnEquals['aws:SourceArn']).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PathAuditForwarding[0-9A-F]{8}$/), 'Arn'],
    });
    const key = resource(other, 'AWS::KMS::Key', 'PathKey').Properties.KeyPolicy.Statement;
    const [events] = key.filter((s: any) => s.Sid === 'EventBridgeToForwardingQueues');
    expect(joined(events.Condition)).toContain(`:sqs:${OTHER}:${ACCOUNT}:pr-7-audit-forwarding-dlq`);
  });

  test('cdk-nag AwsSolutions reports nothing unacknowledged in a production forwarding region either', () => {
    expect(() => forwardingRegion(true)).not.toThrow();
  });
});

describe("the primary region: the default bus's rule feeds the one queue and writer", () => {
  const primary = smallRegion().template;
  const history = rules(primary).find((r) => r.Properties.Name === 'pr-7-audit-history')!;

  test('matches the events every region forwards and hands the queue the audit event itself (the detail)', () => {
    expect(history.Properties.EventBusName).toBeUndefined();
    expect(history.Properties.EventPattern).toEqual(AUDIT_PATTERN);
    const [target] = history.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PathAuditQueue/), 'Arn'] });
    // The writer reads exactly what the producers send to the queue directly (SendMessage bodies).
    expect(target.InputPath).toBe('$.detail');
    expect(target.DeadLetterConfig.Arn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PathAuditHistoryDlq/), 'Arn'],
    });
  });

  test('the audit queue has one policy: TLS only and SendMessage from this rule of this account', () => {
    const policies = Object.values(primary.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p.Properties.Queues).includes('"PathAuditQueue'),
    );
    expect(policies).toHaveLength(1);
    const [sender] = policies[0].Properties.PolicyDocument.Statement.filter((s: any) => s.Sid === 'OnlyTheAuditRule');
    expect(sender.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(sender.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
  });
});

describe('the contract between the audit writer and the rules', () => {});
