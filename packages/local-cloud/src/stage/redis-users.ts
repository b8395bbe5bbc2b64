import { connectRedis } from '@ffc/cache';
import { RedisUserSpec } from '../assembly/redis-users';
import { LocalCloudError } from '../errors';

/**
 * Applies each region's ElastiCache users to that region's Redis as ElastiCache does: `ACL SETUSER` from a
 * clean slate with the user's access string and its passwords (the generated values of its secrets).
 * The local servers keep their own `default` user (on, no password) instead of the template's disabled one:
 * they are shared by every local stage, and the harness, the operator commands and tools connect as it.
 */
export async function applyRedisUsers(
  users: readonly RedisUserSpec[],
  redisUrl: (region: string) => string,
  secretValue: (secretArn: string) => string | undefined,
): Promise<void> {
  for (const region of new Set(users.map((user) => user.region))) {
    const admin = connectRedis({ url: redisUrl(region), reconnect: false });
    try {
      for (const user of users.filter((u) => u.region === region && u.userName !== 'default')) {
        const passwords = user.passwordSecretArns.map((arn) => {
          const value = secretValue(arn);
          if (value === undefined) {
            throw new LocalCloudError(`${user.where}: its password secret ${arn} is not in the stage`);
          }
          return `>${value}`;
        });
        await admin.call('ACL', 'SETUSER', user.userName, 'reset', ...user.accessString.split(/\s+/), ...passwords);
      }
    } finally {
      admin.disconnect();
    }
  }
}
