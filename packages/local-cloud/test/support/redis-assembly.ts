import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `secretValue.unsafeUnwrap()` of a CDK secret: CloudFormation's dynamic reference to it. */
const passwordOf = (secretLogicalId: string) => ({
  'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretLogicalId }, ':SecretString:::}}']],
});

/**
 * One region's Redis in the shape RegionalRedis synthesises it: a password secret per user, the users, a user
 * group with the disabled `default`, and the replication group naming the group. User names start with `prefix`.
 */
export function writeRedisAssembly(prefix: string, mutate: (resources: any) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-assembly-'));
  const user = (suffix: string, userName: string, accessString: string, role: string) => ({
    [`${suffix}Password`]: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: {
        Name: `${prefix}-redis-${suffix.toLowerCase()}`,
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
        KmsKeyId: 'k',
      },
    },
    [`${suffix}User`]: {
      Type: 'AWS::ElastiCache::User',
      Properties: {
        Engine: 'redis',
        UserId: `${prefix}-redis-${suffix.toLowerCase()}`,
        UserName: userName,
        AccessString: accessString,
        Passwords: [passwordOf(`${suffix}Password`)],
        Tags: [{ Key: 'ffc:redis-role', Value: role }],
      },
    },
  });
  const resources: Record<string, any> = {
    ...user('Default', 'default', 'off -@all', 'default'),
    ...user('Updater', `${prefix}-redis-updater`, `on ~ffc:{${prefix}}:flags:* +hget +hset +info`, 'cacheUpdater'),
    ...user('Readers', `${prefix}-redis-readers`, `on %R~ffc:{${prefix}}:flags:* +hget +info`, 'readers'),
    Users: {
      Type: 'AWS::ElastiCache::UserGroup',
      Properties: {
        Engine: 'redis',
        UserGroupId: `${prefix}-redis`,
        UserIds: [`${prefix}-redis-default`, `${prefix}-redis-updater`, `${prefix}-redis-readers`],
      },
    },
    Redis: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { UserGroupIds: [{ Ref: 'Users' }] } },
  };
  mutate(resources);
  fs.writeFileSync(path.join(dir, 'regional.template.json'), JSON.stringify({ Resources: resources }));
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        [`${prefix}-region-eu-west-1`]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/eu-west-1',
          properties: { templateFile: 'regional.template.json' },
        },
      },
    }),
  );
  return dir;
}
