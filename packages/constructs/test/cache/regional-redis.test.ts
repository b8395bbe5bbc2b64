import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IFfcFunction, MissingRoleError, RegionalRedis } from '../../src';
import { SingleZoneNetwork } from '../support/single-zone-network';
import { ACCOUNT, REGION, actionsOf, roleStatements, smallRegion } from '../support/small-region';

const { template } = smallRegion();
const resources = (type: string) => template.findResources(type);
const usersById = (): Record<string, Record<string, any>> =>
  Object.fromEntries(
    Object.entries(resources('AWS::ElastiCache::User')).map(([logicalId, r]) => [
      r.Properties.UserId,
      { logicalId, ...r.Properties },
    ]),
  );
/** The logical id of the secret a dynamic reference `{{resolve:secretsmanager:<Ref>:SecretString:::}}` reads. */
const secretOfPassword = (password: any): string => {
  const [, [open, ref, close]] = password['Fn::Join'];
  expect([open, close]).toEqual(['{{resolve:secretsmanager:', ':SecretString:::}}']);
  return ref.Ref;
};

describe('RegionalRedis: ElastiCache RBAC instead of the AUTH token (CT.ELASTICACHE.PR.8)', () => {
  test('the replication group names the stage user group and has no AUTH token', () => {
    const [group] = Object.values(resources('AWS::ElastiCache::ReplicationGroup'));
    const [groupId] = Object.keys(resources('AWS::ElastiCache::UserGroup'));
    expect(group.Properties.UserGroupIds).toEqual([{ Ref: groupId }]);
    expect(group.Properties.AuthToken).toBeUndefined();
  });

  test('the user group holds the three roles and the mandatory default user, which is off with no commands or keys', () => {
    const [group] = Object.values(resources('AWS::ElastiCache::UserGroup'));
    expect(group.Properties).toMatchObject({ Engine: 'redis', UserGroupId: 'pr-7-redis' });
    expect([...group.Properties.UserIds].sort()).toEqual([
      'pr-7-redis-checker',
      'pr-7-redis-default',
      'pr-7-redis-readers',
      'pr-7-redis-updater',
    ]);
    expect(usersById()['pr-7-redis-default']).toMatchObject({ UserName: 'default', AccessString: 'off -@all' });
    // It names its users by id, so CloudFormation must create them first.
    expect([...group.DependsOn].sort()).toEqual(
      Object.values(usersById())
        .map((u) => u.logicalId)
        .sort(),
    );
  });

  test('each role has a least-privilege access string over the @ffc/cache key layout of its stage', () => {
    const users = usersById();
    const access = (id: string) => ({ name: users[id].UserName, access: users[id].AccessString });
    expect(access('pr-7-redis-updater')).toEqual({
      name: 'pr-7-redis-updater',
      access: 'on ~ffc:{pr-7}:flags:* &ffc:{pr-7}:changed:* +evalsha +eval +hget +hset +publish +info',
    });
    expect(access('pr-7-redis-checker')).toEqual({
      name: 'pr-7-redis-checker',
      access: 'on %R~ffc:{pr-7}:flags:* %R~ffc:{pr-7}:acks:* +hget +hgetall +info',
    });
    expect(access('pr-7-redis-readers')).toEqual({
      name: 'pr-7-redis-readers',
      access:
        'on %R~ffc:{pr-7}:flags:* ~ffc:{pr-7}:acks:* &ffc:{pr-7}:changed:* +hgetall +subscribe +hset +expire +info',
    });
    // ElastiCache user ids: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters.
    for (const id of Object.keys(users)) expect(id).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
  });

  test('each user has one password, from a KMS-encrypted, generated secret of its own', () => {
    const secrets = resources('AWS::SecretsManager::Secret');
    const users = Object.values(usersById());
    const passwordSecrets = users.map((user) => {
      expect(user.Passwords).toHaveLength(1);
      return secretOfPassword(user.Passwords[0]);
    });
    expect(new Set(passwordSecrets).size).toBe(4);
    for (const logicalId of passwordSecrets) {
      expect(secrets[logicalId].Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^PathKey/), 'Arn'] },
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      });
    }
  });
});

describe('RegionalRedis: who may read which password', () => {
  const secretOfUser = (id: string) => secretOfPassword(usersById()[id].Passwords[0]);
  const allowedReaders = (secretLogicalId: string) => {
    const policies = Object.values(resources('AWS::SecretsManager::ResourcePolicy')).filter(
      (p) => p.Properties.SecretId.Ref === secretLogicalId,
    );
    expect(policies).toHaveLength(1);
    const [statement] = policies[0].Properties.ResourcePolicy.Statement;
    expect(statement).toMatchObject({ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue' });
    return statement.Condition.ArnNotLike['aws:PrincipalArn'].map((arn: unknown) => JSON.stringify(arn));
  };
  const deployRole = ':role/cdk-*-cfn-exec-role-123456789012-eu-west-1';

  test("each function's password is denied to every principal but that function and the CloudFormation execution role", () => {
    const updater = allowedReaders(secretOfUser('pr-7-redis-updater'));
    expect(updater).toHaveLength(2);
    expect(updater[0]).toContain('PathcacheUpdaterRole');
    expect(updater[1]).toContain(deployRole);
    const checker = allowedReaders(secretOfUser('pr-7-redis-checker'));
    expect(checker).toHaveLength(2);
    expect(checker[0]).toContain('PathconsistencyCheckerRole');
    // Nobody of the path reads the readers' or the disabled default user's password: services are granted it.
    for (const id of ['pr-7-redis-readers', 'pr-7-redis-default']) {
      expect(allowedReaders(secretOfUser(id))).toEqual([expect.stringContaining(deployRole)]);
    }
  });

  test('each function gets its own user name and secret, and IAM lets it read that secret only', () => {
    const functions = Object.values(resources('AWS::Lambda::Function'));
    const env = (name: string) =>
      functions.find((f) => f.Properties.FunctionName === name)!.Properties.Environment.Variables;
    for (const [fn, user, rolePrefix] of [
      ['pr-7-cache-updater', 'pr-7-redis-updater', 'PathcacheUpdaterRole'],
      ['pr-7-consistency-checker', 'pr-7-redis-checker', 'PathconsistencyCheckerRole'],
    ]) {
      const secret = secretOfUser(user);
      expect(env(fn)).toMatchObject({ REDIS_USERNAME: user, REDIS_SECRET_ARN: { Ref: secret } });
      expect(env(fn).REDIS_AUTH_SECRET_ARN).toBeUndefined();
      const secretReads = roleStatements(template, rolePrefix).filter((s) =>
        actionsOf(s).includes('secretsmanager:GetSecretValue'),
      );
      expect(secretReads.map((s) => s.Resource)).toEqual([{ Ref: secret }]);
    }
    // No other function holds a Redis password.
    for (const f of functions) {
      const name = f.Properties.FunctionName;
      if (name !== 'pr-7-cache-updater' && name !== 'pr-7-consistency-checker') {
        expect(f.Properties.Environment?.Variables?.REDIS_SECRET_ARN).toBeUndefined();
      }
    }
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

describe('RegionalRedis grants', () => {
  const standalone = () => {
    const stack = new Stack(new App(), 'Region', { env: { account: ACCOUNT, region: REGION } });
    const network = new SingleZoneNetwork(stack, 'Network');
    const redis = new RegionalRedis(stack, 'Redis', {
      stage: 'pr-7',
      network,
      encryptionKey: new kms.Key(stack, 'Key'),
    });
    return { stack, network, redis };
  };

  test('grantAccess refuses a function without an execution role, naming it and what to pass instead', () => {
    const { stack, network, redis } = standalone();
    const imported = new ImportedFunction(stack, 'Imported', network.vpc);
    const grant = () => redis.grantAccess(imported, 'cacheUpdater');
    expect(grant).toThrow(MissingRoleError);
    expect(grant).toThrow(/Region\/Imported\/Fn has no execution role.*fromFunctionAttributes/);
  });

  test("grantPassword admits a service's role to the readers' password: IAM, the key through Secrets Manager, the secret's policy", () => {
    const { stack, redis } = standalone();
    const service = new iam.Role(stack, 'CheckoutService', { assumedBy: new iam.AccountRootPrincipal() });
    redis.grantPassword('readers', service);
    const t = Template.fromStack(stack);
    const readersSecret = stack.resolve(redis.users.readers.password.secretArn);
    const statements = roleStatements(t, 'CheckoutService');
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: readersSecret }),
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Condition: expect.objectContaining({
            ArnLike: { 'kms:EncryptionContext:SecretARN': [readersSecret] },
          }),
        }),
      ]),
    );
    const policy = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy')).find(
      (p) => p.Properties.SecretId.Ref === readersSecret.Ref,
    )!;
    const allowed = JSON.stringify(policy.Properties.ResourcePolicy.Statement[0].Condition.ArnNotLike);
    expect(allowed).toContain('CheckoutService');
  });
});
