import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IFfcFunction, MissingRoleError, RegionalRedis } from '../../src';
import { SingleZoneNetwork } from '../support/single-zone-network';
import { ACCOUNT, REGION, resource, smallRegion } from '../support/small-region';

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

describe('RegionalRedis: the cluster', () => {
  test('TLS required, encrypted at rest, AUTH, on 6380 (not the default), one node in a test stage', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      AuthToken: Match.anyValue(),
      Port: 6380,
      NumCacheClusters: 1,
      MultiAZEnabled: false,
    });
  });
});

/** A function imported by ARN: no execution role this app can name. */
class ImportedFunction extends Construct implements IFfcFunction {
  readonly function: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly timeout = Duration.seconds(3);

  constructor(scope: Construct, id: string, vpc: ec2.IVpc) {
    super(scope, id);
    this.function = lambda.Function.fromFunctionArn(this, 'Fn', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:x`);
    this.logGroup = logs.LogGroup.fromLogGroupName(this, 'Logs', '/aws/lambda/x');
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', { vpc });
  }
}

describe('RegionalRedis.grantAccess', () => {
  test('refuses a function without an execution role, naming it and what to pass instead', () => {
    const stack = new Stack(new App(), 'Region', { env: { account: ACCOUNT, region: REGION } });
    const network = new SingleZoneNetwork(stack, 'Network');
    const redis = new RegionalRedis(stack, 'Redis', {
      stage: 'pr-7',
      network,
      encryptionKey: new kms.Key(stack, 'Key'),
    });
    const imported = new ImportedFunction(stack, 'Imported', network.vpc);
    const grant = () => redis.grantAccess(imported);
    expect(grant).toThrow(MissingRoleError);
    expect(grant).toThrow(/Region\/Imported\/Fn has no execution role.*fromFunctionAttributes/);
  });
});
