import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UnrenderableNagResourceError } from '../src';
import { acknowledgeWildcardResource, nagResourceId } from '../src/nag';
import { ACCOUNT, REGION } from './support/small-region';

const stackWithNag = () => {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack: new Stack(app, 'Region', { env: { account: ACCOUNT, region: REGION } }) };
};

describe('nagResourceId: a resource as cdk-nag prints it in a finding id', () => {
  test('literals as they are, Ref as <Name>, GetAtt as <Id.Attr>, joins joined', () => {
    const { stack } = stackWithNag();
    const queue = new sqs.Queue(stack, 'Queue');
    const queueId = stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue);
    expect(nagResourceId(stack, 'arn:aws:sqs:*:*:pr-7-fanout-*')).toBe('arn:aws:sqs:*:*:pr-7-fanout-*');
    expect(nagResourceId(stack, queue.queueArn)).toBe(`<${queueId}.Arn>`);
    expect(nagResourceId(stack, `${queue.queueUrl}/*`)).toBe(`<${queueId}>/*`);
  });

  test('refuses what a finding id cannot express, saying which intrinsics it can', () => {
    const { stack } = stackWithNag();
    const selected = Fn.select(0, Fn.split(',', new sqs.Queue(stack, 'Queue').queueArn));
    expect(() => nagResourceId(stack, selected)).toThrow(UnrenderableNagResourceError);
    expect(() => nagResourceId(stack, selected)).toThrow(/literals, Ref, Fn::GetAtt and Fn::Join only/);
  });
});

describe('acknowledgeWildcardResource', () => {
  /** A role allowed to receive from every queue of a name pattern: an AwsSolutions-IAM5 finding. */
  function roleOnPattern(acknowledge: boolean) {
    const { app, stack } = stackWithNag();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const pattern = stack.formatArn({ service: 'sqs', resource: 'pr-7-fanout-*' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:ReceiveMessage'], resources: [pattern] }));
    if (acknowledge) acknowledgeWildcardResource(role, pattern, 'the fan-out queues of one stage, by name');
    return () => app.synth();
  }

  test('without it, synthesis fails on the wildcard finding (the check is live)', () => {
    expect(roleOnPattern(false)).toThrow(
      /AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:sqs:eu-west-1:123456789012:pr-7-fanout-\*\]/,
    );
  });

  test('with it, exactly that finding is accepted and synthesis passes', () => {
    expect(roleOnPattern(true)).not.toThrow();
  });
});
