import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EncryptionKey } from '../../src';
import { ACCOUNT, REGION, resource, smallRegion } from '../support/small-region';

const { template } = smallRegion();
const keyPolicy = () => resource(template, 'AWS::KMS::Key', 'PathKey').Properties.KeyPolicy.Statement as any[];

describe('the regional key policy', () => {
  test('admits the regional CloudWatch Logs principal for this stage\'s log groups only (Logs guide: "Encrypt log data")', () => {
    const logs = keyPolicy().filter((s) => JSON.stringify(s.Principal).includes('logs'));
    expect(logs).toHaveLength(1);
    expect(logs[0].Principal).toEqual({ Service: `logs.${REGION}.amazonaws.com` });
    const groups = JSON.stringify(logs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
    expect(groups).toContain(`:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/pr-7-*`);
    expect(groups).toContain(`:logs:${REGION}:${ACCOUNT}:log-group:/aws/vendedlogs/states/pr-7-*`);
  });

  test("binds every service statement to this stage's resources by encryption context", () => {
    const services = keyPolicy().filter((s) => s.Principal?.Service);
    expect(services.map((s) => s.Sid).sort()).toEqual([
      'CloudWatchAlarmsToAlertTopic',
      'CloudWatchLogsOfThisStage',
      // The primary region's audit history queue and its dead letters take events from the forwarding rules.
      'EventBridgeToHistoryQueues',
      'EventBridgeToVerificationQueues',
      'SnsToFanOutQueues',
    ]);
    for (const statement of services) {
      expect(Object.keys(statement.Condition.ArnLike)[0]).toMatch(/^kms:EncryptionContext:/);
      expect(JSON.stringify(statement.Condition.ArnLike)).toContain('pr-7-');
    }
  });
});

describe('EncryptionKey', () => {
  const synth = (production: boolean) => {
    const stack = new Stack(new App(), 'Keys', { env: { account: ACCOUNT, region: REGION } });
    new EncryptionKey(stack, 'Key', { stage: 'pr-7', purpose: 'messaging', production });
    return Template.fromStack(stack);
  };

  test('rotates yearly, is aliased `alias/<stage>-<purpose>`, and a test stage deletes it after the 7-day minimum', () => {
    const testStage = synth(false);
    testStage.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 7 });
    testStage.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    testStage.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/pr-7-messaging' });
  });

  test('denies kms:CreateGrant to everyone but AWS services acting for AWS resources (Control Tower CT.KMS.PR.3)', () => {
    const statements = synth(false).findResources('AWS::KMS::Key');
    const policy = (Object.values(statements)[0] as any).Properties.KeyPolicy.Statement as any[];
    // kms:GrantIsForAWSResource is true only when an integrated AWS service calls CreateGrant on the caller's
    // behalf (KMS Developer Guide, "AWS KMS condition keys"); aws:PrincipalIsAWSService when a service principal calls.
    expect(policy.filter((s) => s.Effect === 'Deny')).toEqual([
      {
        Sid: 'GrantsForAwsServicesOnly',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      },
    ]);
  });

  test('production retains the key, with a 30-day deletion window', () => {
    const production = synth(true);
    production.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    production.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 30 });
  });
});
