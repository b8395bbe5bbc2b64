import { Lazy, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  DISABLED_DEFAULT_USER_ACCESS,
  REDIS_ROLES,
  REDIS_ROLE_TAG,
  RedisRole,
  redisAccessStrings,
} from './access-strings';
import { grantKeyUse } from '../encryption';
import { IFfcFunction, executionRoleOf } from '../function';
import { resourceName } from '../naming';
import { IPrivateNetwork } from '../network';

/** Not Redis's default 6379: one more thing a scanner has to guess. */
export const REDIS_PORT = 6380;

/** `<stage>-<purpose>` of each role's ElastiCache user and its password secret (user ids: at most 40 characters). */
const USER_PURPOSE: Record<RedisRole | 'default', string> = {
  cacheUpdater: 'redis-updater',
  consistencyChecker: 'redis-checker',
  readers: 'redis-readers',
  default: 'redis-default',
};

export interface RegionalRedisProps {
  /**
   * Stage name; the replication group is `<stage>-flags`, its user group `<stage>-redis`, each role's user and
   * password secret `<stage>-redis-updater`, `-redis-checker`, `-redis-readers` (and `-redis-default`).
   */
  readonly stage: string;
  /** The network whose isolated subnets hold the cluster; functions reach it through {@link RegionalRedis.grantAccess}. */
  readonly network: IPrivateNetwork;
  /** Encrypts the data at rest and the users' password secrets. */
  readonly encryptionKey: kms.IKey;
  /**
   * Production runs a primary and two replicas across Availability Zones with automatic failover and
   * daily snapshots.
   * @default false - a single node, no snapshots
   */
  readonly production?: boolean;
  /**
   * The ElastiCache node type of every node.
   * @default - `cache.r7g.large` in production, `cache.t4g.small` otherwise
   */
  readonly nodeType?: string;
}

/** One ElastiCache (RBAC) user and the secret holding its generated password. */
export interface RedisUser {
  readonly user: elasticache.CfnUser;
  /** What a client passes as its ACL user name. */
  readonly userName: string;
  readonly password: secretsmanager.ISecret;
}

/** What a Redis client of the connector reads from its environment (`@ffc/functions` regionalRedisFromEnv). */
export interface RedisConnectionEnvironment {
  readonly REDIS_URL: string;
  readonly REDIS_USERNAME: string;
  readonly REDIS_SECRET_ARN: string;
}

/**
 * The region's one Redis replication group (cluster mode disabled): every service owns a key namespace in
 * it, since a cluster per service (156 × 12) would exceed ElastiCache's 300-node regional quota.
 * TLS in transit, KMS at rest, RBAC (CT.ELASTICACHE.PR.8): a user per role with a least-privilege access
 * string and a generated password in its own Secrets Manager secret, which only the principals granted that
 * role (and the CloudFormation role that deploys the user) can read; reachable from the granted functions only.
 */
export class RegionalRedis extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The users the replication group admits: the roles' and the mandatory `default`, switched off. */
  readonly userGroup: elasticache.CfnUserGroup;
  readonly users: Readonly<Record<RedisRole, RedisUser>>;
  readonly securityGroup: ec2.SecurityGroup;
  private readonly network: IPrivateNetwork;
  private readonly encryptionKey: kms.IKey;
  /** The roles that may read each password secret (its resource policy denies everyone else). */
  private readonly passwordReaders = new Map<secretsmanager.ISecret, iam.IRole[]>();

  constructor(scope: Construct, id: string, props: RegionalRedisProps) {
    super(scope, id);
    this.network = props.network;
    this.encryptionKey = props.encryptionKey;
    const { stage } = props;
    const production = props.production ?? false;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: 'ffc regional Redis: TLS from the functions only',
      allowAllOutbound: false,
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      cacheSubnetGroupName: resourceName(stage, 'redis'),
      description: 'ffc regional Redis (private subnets)',
      subnetIds: props.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });

    const accessStrings = redisAccessStrings(stage);
    const user = (role: RedisRole | 'default', constructId: string, accessString: string): RedisUser => {
      const userId = resourceName(stage, USER_PURPOSE[role]);
      const password = new secretsmanager.Secret(this, `${constructId}Password`, {
        secretName: userId,
        encryptionKey: props.encryptionKey,
        // ElastiCache user passwords: 16-128 printable characters; punctuation (some of which it refuses) left out.
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy,
      });
      this.restrictPassword(password);
      Validations.of(password).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'An ElastiCache user password is rotated with ModifyUser (add the new one as a second password, move the clients, remove the old); a Secrets Manager schedule alone would change the secret without the user and lock clients out.',
      });
      const cfnUser = new elasticache.CfnUser(this, constructId, {
        engine: 'redis',
        userId,
        userName: role === 'default' ? 'default' : userId,
        accessString,
        passwords: [password.secretValue.unsafeUnwrap()],
      });
      Tags.of(cfnUser).add(REDIS_ROLE_TAG, role);
      return { user: cfnUser, userName: cfnUser.userName, password };
    };
    const disabledDefault = user('default', 'DefaultUser', DISABLED_DEFAULT_USER_ACCESS);
    this.users = {
      cacheUpdater: user('cacheUpdater', 'CacheUpdaterUser', accessStrings.cacheUpdater),
      consistencyChecker: user('consistencyChecker', 'ConsistencyCheckerUser', accessStrings.consistencyChecker),
      readers: user('readers', 'ReadersUser', accessStrings.readers),
    };
    const members = [disabledDefault, ...REDIS_ROLES.map((role) => this.users[role])];
    this.userGroup = new elasticache.CfnUserGroup(this, 'Users', {
      engine: 'redis',
      userGroupId: resourceName(stage, 'redis'),
      // User ids, not Refs: what a User's Ref returns has changed between CloudFormation schema versions.
      userIds: members.map((member) => member.user.userId),
    });
    for (const member of members) this.userGroup.node.addDependency(member.user);

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: resourceName(stage, 'flags'),
      replicationGroupDescription: `ffc flag cache (${stage})`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType ?? (production ? 'cache.r7g.large' : 'cache.t4g.small'),
      numCacheClusters: production ? 3 : 1,
      automaticFailoverEnabled: production,
      multiAzEnabled: production,
      port: REDIS_PORT,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: props.encryptionKey.keyArn,
      userGroupIds: [this.userGroup.ref],
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: production ? 7 : 0,
      autoMinorVersionUpgrade: true,
    });
    this.replicationGroup.applyRemovalPolicy(removalPolicy);
    Validations.of(this.replicationGroup).acknowledge({
      id: 'AwsSolutions-AEC6',
      reason:
        'Clients authenticate as RBAC users (UserGroupIds, CT.ELASTICACHE.PR.8), each with its own password and access string; ElastiCache takes either a user group or an AUTH token, and the token would give every client full access.',
    });
    if (!production) {
      Validations.of(this.replicationGroup).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason:
          'Test stages run one node to stay cheap and destroyable; production (production: true) runs three nodes Multi-AZ with automatic failover.',
      });
    }
  }

  /**
   * Lets a function connect to Redis as `role`'s user and read that user's password (and nothing else the key
   * protects); returns the environment its handler connects with.
   */
  grantAccess(fn: IFfcFunction, role: RedisRole): RedisConnectionEnvironment {
    const executionRole = executionRoleOf(fn.function, `reading the Redis password of ${role}`);
    this.network.allow(fn.securityGroup, this.securityGroup, ec2.Port.tcp(REDIS_PORT), `${fn.node.id} uses Redis`);
    this.grantPassword(role, executionRole);
    const { userName, password } = this.users[role];
    return { REDIS_URL: this.url, REDIS_USERNAME: userName, REDIS_SECRET_ARN: password.secretArn };
  }

  /** Lets a role (a service's, for `readers`) read the password of `role`'s user: IAM, key use and the secret's policy. */
  grantPassword(role: RedisRole, grantee: iam.IRole): void {
    const { password } = this.users[role];
    grantee.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [password.secretArn] }),
    );
    grantKeyUse(this.encryptionKey, grantee, {
      via: 'secretsmanager',
      resourceArns: [password.secretArn],
      access: 'read',
    });
    this.passwordReaders.get(password)!.push(grantee);
  }

  /**
   * Denies reading the password to every principal but the ones granted it and CDK's CloudFormation execution
   * role, which resolves it into the ElastiCache user: IAM alone would let any role of the account with a broad
   * GetSecretValue read it.
   */
  private restrictPassword(password: secretsmanager.Secret): void {
    const stack = Stack.of(this);
    const deployRole = stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: `cdk-*-cfn-exec-role-${stack.account}-${stack.region}`,
    });
    const readers: iam.IRole[] = [];
    this.passwordReaders.set(password, readers);
    password.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyGrantedReaders',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': Lazy.list({ produce: () => [...readers.map((r) => r.roleArn), deployRole] }),
          },
        },
      }),
    );
  }

  /** `rediss://host:port` of the primary endpoint. */
  get url(): string {
    return `rediss://${this.replicationGroup.attrPrimaryEndPointAddress}:${REDIS_PORT}`;
  }
}
