import { REDIS_ROLE_TAG } from '@ffc/identifiers';
import { LocalCloudError, NotEmulatedError } from '../errors';
import { AssemblyStack, TemplateResource, resourcesOf } from './cloud-assembly';

/** An ElastiCache (RBAC) user a region's replication group admits, as the local cloud applies it to that region's Redis. */
export interface RedisUserSpec {
  readonly region: string;
  readonly where: string;
  readonly userName: string;
  readonly accessString: string;
  /** The Secrets Manager secrets its passwords resolve from (`{{resolve:secretsmanager:<arn>:SecretString:::}}`). */
  readonly passwordSecretArns: readonly string[];
  /** The user's `ffc:redis-role` tag (the RegionalRedis construct's role: `readers`, …), if it has one. */
  readonly role?: string;
}

/** The tag the RegionalRedis construct puts on each role's user. */

/** Access-string rules ElastiCache refuses: passwords come from the user's Passwords, and `reset` would drop them. */
const REFUSED_RULE = /^(reset|resetpass|nopass|[><#!].*)$/;

const SECRET_REFERENCE = /^\{\{resolve:secretsmanager:(.+):SecretString:::\}\}$/;

type ResolveProperties = (stack: AssemblyStack, logicalId: string, resource: TemplateResource) => Record<string, any>;

/**
 * The users of the user groups each replication group names in `UserGroupIds`: what ElastiCache makes of them
 * (the users of a group attached to no replication group can log in nowhere).
 */
export function readRedisUsers(stacks: readonly AssemblyStack[], props: ResolveProperties): RedisUserSpec[] {
  const where = (stack: AssemblyStack, logicalId: string) => `${stack.id}/${logicalId}`;
  const ofType = (type: string) =>
    [...resourcesOf(stacks, type)].map((found) => ({
      ...found,
      p: props(found.stack, found.logicalId, found.resource),
    }));
  const users = ofType('AWS::ElastiCache::User');
  const groups = ofType('AWS::ElastiCache::UserGroup');
  const specs = new Map<string, RedisUserSpec>();
  for (const group of ofType('AWS::ElastiCache::ReplicationGroup')) {
    const region = group.stack.region;
    for (const groupId of (group.p.UserGroupIds ?? []) as string[]) {
      const userGroup = groups.find((g) => g.stack.region === region && g.p.UserGroupId === groupId);
      if (!userGroup) {
        throw new LocalCloudError(`${where(group.stack, group.logicalId)}: no user group '${groupId}' in ${region}`);
      }
      const groupWhere = where(userGroup.stack, userGroup.logicalId);
      if (userGroup.p.Engine !== 'redis') throw new NotEmulatedError(groupWhere, `engine '${userGroup.p.Engine}'`);
      const userIds = (userGroup.p.UserIds ?? []) as string[];
      const members = userIds.map((userId) => {
        const user = users.find((u) => u.stack.region === region && u.p.UserId === userId);
        if (!user) throw new LocalCloudError(`${groupWhere}: no ElastiCache user '${userId}' in ${region}`);
        return user;
      });
      // ElastiCache refuses a user group without a user named `default`.
      if (!members.some((user) => user.p.UserName === 'default')) {
        throw new LocalCloudError(`${groupWhere}: a user group must contain a user named 'default' (ElastiCache)`);
      }
      for (const { stack, logicalId, p } of members) {
        const spec = userSpec(region, where(stack, logicalId), p);
        specs.set(`${region}/${spec.userName}`, spec);
      }
    }
  }
  return [...specs.values()];
}

function userSpec(region: string, here: string, p: Record<string, any>): RedisUserSpec {
  if (p.Engine !== 'redis') throw new NotEmulatedError(here, `engine '${p.Engine}'`);
  const accessString = String(p.AccessString ?? '');
  const refused = accessString.split(/\s+/).find((rule) => REFUSED_RULE.test(rule));
  if (refused !== undefined) {
    throw new LocalCloudError(
      `${here}: ElastiCache refuses '${refused}' in an access string: set passwords with the user's Passwords`,
    );
  }
  const passwords = (p.Passwords ?? []) as unknown[];
  if (passwords.length < 1 || passwords.length > 2) {
    throw new LocalCloudError(`${here}: an ElastiCache user has one or two Passwords, got ${passwords.length}`);
  }
  const passwordSecretArns = passwords.map((password) => {
    const arn = SECRET_REFERENCE.exec(String(password))?.[1];
    if (!arn) throw new NotEmulatedError(here, 'a password other than a Secrets Manager dynamic reference');
    return arn;
  });
  const tags = (p.Tags ?? []) as { Key: string; Value: string }[];
  return {
    region,
    where: here,
    userName: String(p.UserName),
    accessString,
    passwordSecretArns,
    role: tags.find((tag) => tag.Key === REDIS_ROLE_TAG)?.Value,
  };
}
