import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PrivateNetwork } from '../../src';
import { ACCOUNT, REGION, resource, smallRegion } from '../support/small-region';

const { template } = smallRegion();

/** Egress rules of a function's security group: inline and separate SecurityGroupEgress resources. */
function egressOf(functionPrefix: string): Array<Record<string, any>> {
  const [groupId] = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).filter((id) =>
    id.startsWith(`Path${functionPrefix}SecurityGroup`),
  );
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
    .map((r) => r.Properties)
    .filter((p) => JSON.stringify(p.GroupId).includes(groupId));
  const inline = template.findResources('AWS::EC2::SecurityGroup')[groupId].Properties.SecurityGroupEgress ?? [];
  return [...inline, ...separate].filter((rule: any) => rule.CidrIp !== '255.255.255.255/32');
}

const destination = (rule: Record<string, any>) => rule.CidrIp ?? JSON.stringify(rule.DestinationSecurityGroupId);

describe('PrivateNetwork: each function reaches what its handler uses, nothing more', () => {
  test('only the audit writer reaches OpenSearch; only the cache updater and checker reach Redis', () => {
    const reaches = (fn: string, target: string) => egressOf(fn).some((rule) => destination(rule).includes(target));
    for (const fn of [
      'validator',
      'cacheUpdater',
      'consistencyChecker',
      'rollback',
      'auditWriter',
      'verificationScheduler',
    ]) {
      expect([fn, reaches(fn, 'PathAuditDomainSecurityGroup')]).toEqual([fn, fn === 'auditWriter']);
      expect([fn, reaches(fn, 'PathRedisSecurityGroup')]).toEqual([
        fn,
        fn === 'cacheUpdater' || fn === 'consistencyChecker',
      ]);
    }
  });

  test('HTTPS to any address only for the DynamoDB users (the gateway endpoint), the endpoints for the API callers', () => {
    for (const fn of [
      'validator',
      'cacheUpdater',
      'consistencyChecker',
      'rollback',
      'auditWriter',
      'verificationScheduler',
    ]) {
      const anywhere = egressOf(fn).some((rule) => rule.CidrIp === '0.0.0.0/0');
      expect([fn, anywhere]).toEqual([fn, fn === 'validator' || fn === 'rollback']);
      const endpoints = egressOf(fn).some((rule) => destination(rule).includes('PathNetworkEndpoints'));
      expect([fn, endpoints]).toEqual([fn, fn !== 'auditWriter']);
    }
  });

  test('every endpoint policy keeps the data perimeter: callers of this account', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    const statementOf = (endpoint: any) => endpoint.Properties.PolicyDocument.Statement;
    const responses = endpoints.filter((e) => statementOf(e)[0].Sid === 'CloudFormationResponsesOnly');
    const perimeter = endpoints.filter((e) => !responses.includes(e));
    expect(perimeter).toHaveLength(9);
    for (const endpoint of perimeter) {
      expect(statementOf(endpoint)[0].Condition.StringEquals['aws:PrincipalAccount']).toBe(ACCOUNT);
    }
    // The one exception: CloudFormation presigns the custom resources' response URL with its own credentials, so
    // the principal is CloudFormation's, not this account's; the endpoint admits that one PUT and nothing else.
    expect(responses).toHaveLength(1);
    expect(statementOf(responses[0])).toEqual([expect.objectContaining({ Action: 's3:PutObject', Effect: 'Allow' })]);
    expect(JSON.stringify(statementOf(responses[0])[0].Resource)).toMatch(
      /cloudformation-custom-resource-response-\w+\/\*/,
    );
  });

  test('the flow-log role trusts the flow-log service for this account only', () => {
    const [trust] = resource(template, 'AWS::IAM::Role', 'PathNetworkFlowLogRole').Properties.AssumeRolePolicyDocument
      .Statement;
    expect(trust.Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(JSON.stringify(trust.Condition.ArnLike['aws:SourceArn'])).toContain(
      `:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/*`,
    );
  });
});

describe('PrivateNetwork: Control Tower findings', () => {
  test("acknowledges CT.LAMBDA.PR.3 on CDK's default-security-group provider alone, with a reason", () => {
    const stack = new Stack(new App(), 'Net', { env: { account: ACCOUNT, region: REGION } });
    new PrivateNetwork(stack, 'Network', { stage: 'pr-7' });
    const acknowledgedAt = stack.node
      .findAll()
      .filter((c) => c.node.metadata.some((m) => JSON.stringify(m.data).includes('lambda_inside_vpc_check')))
      .map((c) => c.node.path);
    expect(acknowledgedAt).toEqual(['Net/Custom::VpcRestrictDefaultSGCustomResourceProvider']);
    // The network's one function is that provider: the acknowledgement covers nothing else.
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toEqual([
      expect.stringMatching(/^CustomVpcRestrictDefaultSGCustomResourceProvider/),
    ]);
  });
});
