import { Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { grantKeyUse } from '../encryption';
import { IFfcFunction, executionRoleOf } from '../function';
import { resourceName } from '../naming';
import { IPrivateNetwork } from '../network';

/** Not Redis's default 6379: one more thing a scanner has to guess. */
export const REDIS_PORT = 6380;

export interface RegionalRedisProps {
  /** Stage name; the replication group is `<stage>-flags`, its AUTH token secret `<stage>-redis-auth`. */
  readonly stage: string;
  /** The network whose isolated subnets hold the cluster; functions reach it through {@link RegionalRedis.grantAccess}. */
  readonly network: IPrivateNetwork;
  /** Encrypts the data at rest and the AUTH token secret. */
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

/**
 * The region's one Redis replication group (cluster mode disabled): every service owns a key namespace in
 * it, since a cluster per service (156 × 12) would exceed ElastiCache's 300-node regional quota.
 * TLS in transit, KMS at rest, an AUTH token from Secrets Manager that only the granted functions (and the
 * CloudFormation role that deploys the cluster) can read, reachable from the granted functions only.
 */
export class RegionalRedis extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly authToken: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
  private readonly network: IPrivateNetwork;
  private readonly encryptionKey: kms.IKey;
  private readonly readers: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: RegionalRedisProps) {
    super(scope, id);
    this.network = props.network;
    this.encryptionKey = props.encryptionKey;
    const production = props.production ?? false;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: 'ffc regional Redis: TLS from the functions only',
      allowAllOutbound: false,
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      cacheSubnetGroupName: resourceName(props.stage, 'redis'),
      description: 'ffc regional Redis (private subnets)',
      subnetIds: props.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      secretName: resourceName(props.stage, 'redis-auth'),
      encryptionKey: props.encryptionKey,
      // ElastiCache AUTH tokens: 16-128 printable characters without @, " or /.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    this.restrictAuthToken();
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: resourceName(props.stage, 'flags'),
      replicationGroupDescription: `ffc flag cache (${props.stage})`,
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
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: production ? 7 : 0,
      autoMinorVersionUpgrade: true,
    });
    this.replicationGroup.applyRemovalPolicy(removalPolicy);
    Validations.of(this.authToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An ElastiCache AUTH token is rotated with ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE then SET); a Secrets Manager schedule alone would change the secret without the cluster and lock clients out.',
    });
    if (!production) {
      Validations.of(this.replicationGroup).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason:
          'Test stages run one node to stay cheap and destroyable; production (production: true) runs three nodes Multi-AZ with automatic failover.',
      });
    }
  }

  /** Lets a function connect to Redis and read the AUTH token (and nothing else the key protects). */
  grantAccess(fn: IFfcFunction): void {
    const role = executionRoleOf(fn.function, 'reading the Redis AUTH token');
    this.network.allow(fn.securityGroup, this.securityGroup, ec2.Port.tcp(REDIS_PORT), `${fn.node.id} uses Redis`);
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.authToken.secretArn] }),
    );
    grantKeyUse(this.encryptionKey, fn.function, {
      via: 'secretsmanager',
      resourceArns: [this.authToken.secretArn],
      access: 'read',
    });
    this.readers.push(role);
  }

  /**
   * Denies reading the token to every principal but the granted functions and CDK's CloudFormation execution
   * role, which resolves the token into the replication group: IAM alone would let any role of the account
   * with a broad GetSecretValue read it.
   */
  private restrictAuthToken(): void {
    const stack = Stack.of(this);
    const deployRole = stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: `cdk-*-cfn-exec-role-${stack.account}-${stack.region}`,
    });
    this.authToken.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyGrantedReaders',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': Lazy.list({ produce: () => [...this.readers.map((r) => r.roleArn), deployRole] }),
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
