import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FlagTableReplica, PrivateNetwork } from '../../src';

function stackWithReplica(place: boolean): { stack: Stack; app: App } {
  const app = new App();
  const stack = new Stack(app, 'Region', { env: { account: '111111111111', region: 'eu-west-1' } });
  const replica = new FlagTableReplica(stack, 'Flags', { stage: 'pr-1' });
  if (place) {
    const logEncryptionKey = new kms.Key(stack, 'Key');
    const network = new PrivateNetwork(stack, 'Network', { stage: 'pr-1', encryptionKey: logEncryptionKey });
    replica.lookUpStreamIn({ network, logEncryptionKey });
  }
  return { stack, app };
}

describe('FlagTableReplica: the stream lookup runs in the private network', () => {
  const template = Template.fromStack(stackWithReplica(true).stack);

  test('the lookup function has a VPC configuration in the isolated subnets and an encrypted log group', () => {
    // CDK's AwsCustomResource singleton, by its fixed id (the VPC's default-SG provider is another function).
    const [provider] = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))
      .map(([, resource]) => resource);
    expect(provider.Properties.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/pr-1-flag-stream-lookup',
      KmsKeyId: Match.anyValue(),
    });
  });

  test('CloudWatch Logs may use the key for the lookup and flow-log groups, in one statement', () => {
    const policy = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
    const logs = policy.Statement.filter((s: any) => s.Sid === 'CloudWatchLogsOfThisStage');
    expect(logs).toHaveLength(1);
    const arns = JSON.stringify(logs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
    expect(arns).toContain('log-group:/aws/lambda/pr-1-flag-stream-lookup');
    expect(arns).toContain('log-group:/ffc/pr-1/vpc-flow-logs');
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ffc/pr-1/vpc-flow-logs',
      KmsKeyId: Match.anyValue(),
    });
  });

  test("the S3 gateway endpoint admits only the answer to CloudFormation's response bucket of this region", () => {
    // AWS::CloudFormation::CustomResource: custom resources in a VPC must reach CloudFormation's S3 buckets.
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).filter((e) =>
      JSON.stringify(e.Properties.ServiceName).includes('.s3'),
    );
    expect(endpoints).toHaveLength(1);
    const [statement] = endpoints[0].Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('s3:PutObject');
    expect(JSON.stringify(statement.Resource)).toContain(':s3:::cloudformation-custom-resource-response-euwest1/*');
  });

  test('an unplaced lookup fails synthesis with what to call', () => {
    const { app } = stackWithReplica(false);
    expect(() => app.synth()).toThrow(/call lookUpStreamIn\(\{ network, logEncryptionKey \}\)/);
  });
});
