import { resource, smallRegion } from '../support/small-region';

const { template } = smallRegion();

describe('RegionalRedis: the AUTH token', () => {
  test('is denied to every principal but the two functions that connect and the CloudFormation execution role', () => {
    const [statement] = resource(template, 'AWS::SecretsManager::ResourcePolicy', 'PathRedisAuthTokenPolicy').Properties
      .ResourcePolicy.Statement;
    expect(statement.Effect).toBe('Deny');
    expect(statement.Action).toBe('secretsmanager:GetSecretValue');
    const allowed = statement.Condition.ArnNotLike['aws:PrincipalArn'].map((arn: unknown) => JSON.stringify(arn));
    expect(allowed).toHaveLength(3);
    expect(allowed[0]).toContain('PathcacheUpdaterRole');
    expect(allowed[1]).toContain('PathconsistencyCheckerRole');
    expect(allowed[2]).toContain(':role/cdk-*-cfn-exec-role-123456789012-eu-west-1');
  });
});
