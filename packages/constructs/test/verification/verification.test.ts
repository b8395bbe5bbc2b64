import { VERIFICATION_ITEM_ATTRIBUTES } from '../../src';
import { ACCOUNT, REGION, actionsOf, resource, roleStatements, smallRegion } from '../support/small-region';

const { template } = smallRegion();
const machineRole = () => resource(template, 'AWS::IAM::Role', 'PathVerificationStateMachineRole');

describe('Verification: the state machine role', () => {
  test('holds a data key for the encrypted alerts topic, through SNS and for that topic (SNS requires it of publishers)', () => {
    const kms = roleStatements(template, 'PathVerificationStateMachineRole').find((s) =>
      actionsOf(s).includes('kms:GenerateDataKey'),
    );
    expect(kms?.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(kms?.Condition.StringEquals['kms:ViaService']).toBe(`sns.${REGION}.amazonaws.com`);
    expect(kms?.Condition.ArnLike['kms:EncryptionContext:aws:sns:topicArn']).toEqual([
      { Ref: expect.stringMatching(/^PathAlerts/) },
    ]);
  });

  test('is assumable by Step Functions for this one state machine of this account', () => {
    const [trust] = machineRole().Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.Principal).toEqual({ Service: 'states.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(JSON.stringify(trust.Condition.ArnLike['aws:SourceArn'])).toContain(
      `:states:${REGION}:${ACCOUNT}:stateMachine:pr-7-verification"`,
    );
  });

  test('may update the verification item attributes only (dynamodb:Attributes)', () => {
    const update = roleStatements(template, 'PathVerificationStateMachineRole').find((s) =>
      actionsOf(s).includes('dynamodb:UpdateItem'),
    );
    expect(update?.Condition['ForAllValues:StringEquals']['dynamodb:Attributes']).toEqual([
      ...VERIFICATION_ITEM_ATTRIBUTES,
    ]);
    expect(VERIFICATION_ITEM_ATTRIBUTES).toEqual(['pk', 'sk', 'verifiedVersion', 'verifiedAt', 'region']);
  });
});

describe('Verification: EventBridge delivery to the encrypted requests queue', () => {
  test("only this account's change-published rule may send to the requests queue and its dead-letter queue", () => {
    for (const prefix of ['PathVerificationRequestsPolicy', 'PathVerificationRequestsDlqPolicy']) {
      const statements = resource(template, 'AWS::SQS::QueuePolicy', prefix).Properties.PolicyDocument.Statement;
      const events = statements.filter((s: any) => s.Principal?.Service === 'events.amazonaws.com');
      expect(events).toHaveLength(1);
      expect(events[0].Action).toBe('sqs:SendMessage');
      expect(events[0].Condition).toEqual({
        ArnEquals: {
          'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^PathVerificationChangePublished/), 'Arn'] },
        },
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
      });
    }
  });

  test('the key gives EventBridge a data key only for the queues its rules deliver to, and nothing without a condition', () => {
    const key = resource(template, 'AWS::KMS::Key', 'PathKey').Properties.KeyPolicy.Statement;
    const events = key.filter((s: any) => [s.Principal?.Service].flat().includes('events.amazonaws.com'));
    // Verification's requests and dead letters; in the primary region also the audit history's queue and its DLQ.
    const queues = events.map((s: any) => {
      expect(s.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
      return JSON.stringify(s.Condition.ArnLike['kms:EncryptionContext:aws:sqs:arn']).match(/:pr-7-[a-z-]+/g);
    });
    expect(queues).toEqual([
      [':pr-7-verification-requests', ':pr-7-verification-dlq'],
      [':pr-7-audit', ':pr-7-audit-history-dlq'],
    ]);
    for (const statement of key.filter((s: any) => s.Principal?.Service)) expect(statement.Condition).toBeDefined();
  });

  test('the rule still targets the queue with its dead-letter queue (what a local runner reads)', () => {
    const rule = resource(template, 'AWS::Events::Rule', 'PathVerificationChangePublished');
    expect(rule.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/^PathVerificationRequests/), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^PathVerificationRequestsDlq/), 'Arn'] } },
      },
    ]);
  });
});
