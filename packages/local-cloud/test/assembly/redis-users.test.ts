import { readCloudAssembly } from '../../src/assembly/cloud-assembly';
import { buildStageModel } from '../../src/assembly/stage-model';
import { LocalCloudError, NotEmulatedError } from '../../src/errors';
import { writeRedisAssembly } from '../support/redis-assembly';

const endpoints = {
  gatewayUrl: 'http://127.0.0.1:4566',
  redisUrl: () => 'redis://127.0.0.1:6401',
  opensearchUrl: 'http://127.0.0.1:9211',
};
const model = (dir: string) => buildStageModel(readCloudAssembly(dir), dir, endpoints);
const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:000000000000:secret:${name}-local`;

describe('the stage model: ElastiCache users and user groups (RBAC)', () => {
  it("reads the users of the replication group's user groups: access string, password secret, role", () => {
    const m = model(writeRedisAssembly('t'));
    expect([...m.redisUsers].sort((a, b) => a.userName.localeCompare(b.userName))).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        userName: 'default',
        accessString: 'off -@all',
        passwordSecretArns: [secretArn('t-redis-default')],
      }),
      expect.objectContaining({
        userName: 't-redis-readers',
        accessString: 'on %R~ffc:{t}:flags:* +hget +info',
        passwordSecretArns: [secretArn('t-redis-readers')],
        role: 'readers',
      }),
      expect.objectContaining({
        userName: 't-redis-updater',
        accessString: 'on ~ffc:{t}:flags:* +hget +hset +info',
        passwordSecretArns: [secretArn('t-redis-updater')],
        role: 'cacheUpdater',
      }),
    ]);
    // The password secrets are the stage's secrets, so the local Secrets Manager generates their values.
    expect(m.secrets.map((s) => s.arn)).toEqual(
      expect.arrayContaining(m.redisUsers.flatMap((u) => u.passwordSecretArns)),
    );
  });

  it('leaves out users of no attached group (ElastiCache lets them log in nowhere)', () => {
    const m = model(
      writeRedisAssembly('t', (r) => {
        r.Redis.Properties.UserGroupIds = [];
      }),
    );
    expect(m.redisUsers).toEqual([]);
  });

  it.each([
    [
      'an authentication mode it does not emulate (IAM)',
      (r: any) => (r.UpdaterUser.Properties.AuthenticationMode = { Type: 'iam' }),
      NotEmulatedError,
      /ElastiCache::User\.AuthenticationMode/,
    ],
    [
      'a user without a password',
      (r: any) => (r.UpdaterUser.Properties.NoPasswordRequired = true),
      NotEmulatedError,
      /ElastiCache::User\.NoPasswordRequired/,
    ],
    [
      "'reset' in an access string, as ElastiCache does",
      (r: any) => (r.UpdaterUser.Properties.AccessString = 'on reset ~* +@all'),
      LocalCloudError,
      /UpdaterUser: ElastiCache refuses 'reset' in an access string/,
    ],
    [
      'a password in an access string',
      (r: any) => (r.UpdaterUser.Properties.AccessString = 'on >secret ~* +@all'),
      LocalCloudError,
      /refuses '>secret'/,
    ],
    [
      'a literal password',
      (r: any) => (r.UpdaterUser.Properties.Passwords = ['a-literal-password-1234']),
      NotEmulatedError,
      /a password other than a Secrets Manager dynamic reference/,
    ],
    [
      "a user group without a user named 'default'",
      (r: any) => r.Users.Properties.UserIds.splice(0, 1),
      LocalCloudError,
      /Users: a user group must contain a user named 'default'/,
    ],
    [
      'a user group naming a user the stage does not have',
      (r: any) => r.Users.Properties.UserIds.push('t-redis-nobody'),
      LocalCloudError,
      /no ElastiCache user 't-redis-nobody' in eu-west-1/,
    ],
  ])('refuses %s, naming the resource', (_what, mutate, type, message) => {
    const dir = writeRedisAssembly('t', mutate as never);
    expect(() => model(dir)).toThrow(type);
    expect(() => model(dir)).toThrow(message);
  });
});
