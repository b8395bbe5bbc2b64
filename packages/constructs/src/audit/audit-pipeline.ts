import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { allowLogGroupEncryption } from '../encryption';
import { AvailabilityZonesError, RegionError } from '../errors';
import { IFfcFunction, executionRoleOf, grantSqsEventSource, redriveOnlyFrom } from '../function';
import { resourceName } from '../naming';
import { IPrivateNetwork } from '../network';
import { AUDIT_FORWARDING, AuditRoute } from './audit-forwarding';
import { OPENSEARCH_LOG_GROUP_PREFIX } from './opensearch-log-delivery';

export interface AuditPipelineProps {
  /** Stage name; the queue and the domain are `<stage>-audit`, the dead-letter queue `<stage>-audit-dlq`. */
  readonly stage: string;
  /**
   * The region of the stage's one audit history. There the pipeline holds the domain, and a rule on the default
   * bus feeds the events the other regions forward into its queue; in every other region the writer forwards
   * each event to that region's default bus (EventBridge cross-region delivery) and there is no domain.
   * @default - this stack's region: the pipeline holds the domain
   */
  readonly primaryRegion?: string;
  /** The network whose isolated subnets hold the domain; only the writer may reach it (HTTPS). */
  readonly network: IPrivateNetwork;
  /** Encrypts both queues, the domain's data at rest and its log group. */
  readonly encryptionKey: kms.IKey;
  /** Drains the audit queue: into OpenSearch (bulk `create` requests) in the primary region, else onto the default bus. */
  readonly writer: IFfcFunction;
  /**
   * The fine-grained-access master user, who maps the writer's role to a create-only role on the audit
   * indices and installs the index template.
   * @default - a role of its own that principals of this account may assume if their IAM allows it
   */
  readonly admin?: iam.IRole;
  /**
   * Production: three dedicated masters, two data nodes per Availability Zone across up to three (Multi-AZ), retained data.
   * @default false - one data node, destroyed with the stack
   */
  readonly production?: boolean;
}

/**
 * Audit events go to a durable queue first, in every region. In the primary region the writer drains it into
 * the stage's one OpenSearch domain; elsewhere it forwards them to the primary region's default bus, whose
 * rule feeds them into the primary's queue (document ids are deterministic, so a replay is no duplicate).
 * The domain lives in the VPC (HTTPS only, node-to-node and at-rest encryption, fine-grained access with an admin apart from the writer,
 * audit logs on). OpenSearch being down delays events; it never drops them. The domain's logs go to a log
 * group under {@link OPENSEARCH_LOG_GROUP_PREFIX}, which the account's one {@link OpenSearchLogDelivery}
 * policy (per region) lets OpenSearch write to.
 */
export class AuditPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  /** The stage's one audit domain: in the primary region only. */
  readonly domain?: opensearch.Domain;
  /** The domain's master user: in the primary region only. */
  readonly admin?: iam.IRole;
  /** Primary region: the rule feeding forwarded events into the queue. Elsewhere: the rule forwarding them. */
  readonly route: AuditRoute;
  /** What the writer's handler reads to know where events go: the domain's URL, or the bus to forward to. */
  readonly writerEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AuditPipelineProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const primaryRegion = props.primaryRegion ?? region;
    if (props.primaryRegion !== undefined && Token.isUnresolved(region)) {
      throw new RegionError(
        `${this.node.path}: primaryRegion needs a stack with an explicit region, to tell the primary region from the others`,
      );
    }
    const production = props.production ?? false;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.deadLetters = new sqs.Queue(this, 'Dlq', {
      queueName: resourceName(props.stage, 'audit-dlq'),
      redriveAllowPolicy: redriveOnlyFrom(this, 'DlqSource', resourceName(props.stage, 'audit')),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    const writer = props.writer.function;
    const writerTimeout = props.writer.timeout;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: resourceName(props.stage, 'audit'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      // Events wait up to 14 days for OpenSearch to come back.
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(writerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 10 },
      removalPolicy,
    });
    new lambda.EventSourceMapping(this, 'Drain', {
      target: writer,
      eventSourceArn: this.queue.queueArn,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
      maxConcurrency: 5,
    });
    grantSqsEventSource(writer, [this.queue.queueArn], props.encryptionKey);

    if (primaryRegion === region) {
      const { domain, admin } = this.historyDomain(props, removalPolicy);
      this.domain = domain;
      this.admin = admin;
      this.writerEnvironment = {
        FFC_OPENSEARCH_URL: `https://${domain.domainEndpoint}`,
        FFC_OPENSEARCH_SIGV4_REGION: region,
      };
      this.route = new AuditRoute(this, 'History', {
        stage: props.stage,
        purpose: 'audit-history',
        encryptionKey: props.encryptionKey,
        removalPolicy,
      });
      this.route.toQueue(this.queue, resourceName(props.stage, 'audit'));
    } else {
      // The isolated VPC reaches only this region's endpoints: the writer puts events on this region's default
      // bus, and EventBridge carries them to the primary region's.
      const stack = Stack.of(this);
      const busArn = (busRegion: string) =>
        stack.formatArn({
          service: 'events',
          region: busRegion,
          resource: 'event-bus',
          resourceName: AUDIT_FORWARDING.eventBusName,
        });
      props.network.allowApiCalls(props.writer.securityGroup);
      writer.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ForwardAuditEvents',
          actions: ['events:PutEvents'],
          resources: [busArn(region)],
        }),
      );
      this.writerEnvironment = { AUDIT_EVENT_BUS_NAME: AUDIT_FORWARDING.eventBusName };
      this.route = new AuditRoute(this, 'Forwarding', {
        stage: props.stage,
        purpose: 'audit-forwarding',
        encryptionKey: props.encryptionKey,
        removalPolicy,
      });
      this.route.toBus(busArn(primaryRegion));
    }
  }

  /** The stage's one domain: in the VPC, HTTPS from the writer only, Multi-AZ with dedicated masters in production. */
  private historyDomain(
    props: AuditPipelineProps,
    removalPolicy: RemovalPolicy,
  ): { domain: opensearch.Domain; admin: iam.IRole } {
    const production = props.production ?? false;
    const writer = props.writer.function;
    const writerRole = executionRoleOf(writer, "the audit domain's access policy");

    const securityGroup = new ec2.SecurityGroup(this, 'DomainSecurityGroup', {
      vpc: props.network.vpc,
      description: 'ffc audit OpenSearch: HTTPS from the audit writer only',
      allowAllOutbound: false,
    });
    props.network.allow(
      props.writer.securityGroup,
      securityGroup,
      ec2.Port.tcp(443),
      'the writer bulk-writes audit events',
    );
    const domainLogsName = `${OPENSEARCH_LOG_GROUP_PREFIX}${props.stage}/audit`;
    allowLogGroupEncryption(props.encryptionKey, [domainLogsName]);
    const domainLogs = new logs.LogGroup(this, 'DomainLogs', {
      logGroupName: domainLogsName,
      encryptionKey: props.encryptionKey,
      retention: production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      removalPolicy,
    });
    const subnets = props.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    // As many zones as the VPC has, up to three (an environment-agnostic stack knows only two).
    const zones = production ? Math.min(3, subnets.subnets.length) : 1;
    if (production && zones < 2) {
      throw new AvailabilityZonesError('a production audit domain', zones, 2);
    }
    const admin =
      props.admin ??
      new iam.Role(this, 'Admin', {
        assumedBy: new iam.AccountRootPrincipal(),
        description: `ffc audit OpenSearch master user (${props.stage}): role mappings and index templates`,
      });
    const domainName = resourceName(props.stage, 'audit');
    const domain = new opensearch.Domain(this, 'Domain', {
      domainName,
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      vpc: props.network.vpc,
      vpcSubnets: [{ subnets: subnets.subnets.slice(0, zones) }],
      securityGroups: [securityGroup],
      capacity: production
        ? {
            dataNodes: 2 * zones,
            dataNodeInstanceType: 'r7g.large.search',
            masterNodes: 3,
            masterNodeInstanceType: 'm7g.large.search',
            multiAzWithStandbyEnabled: false,
          }
        : { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
      zoneAwareness: production ? { enabled: true, availabilityZoneCount: zones } : { enabled: false },
      ebs: { volumeSize: production ? 100 : 10, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true, kmsKey: props.encryptionKey },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: { masterUserArn: admin.roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: domainLogs,
        appLogEnabled: true,
        appLogGroup: domainLogs,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: domainLogs,
        auditLogEnabled: true,
        auditLogGroup: domainLogs,
      },
      // No policy per domain: CloudWatch Logs allows 10 resource policies per account and region (OpenSearchLogDelivery).
      suppressLogsResourcePolicy: true,
      removalPolicy,
    });
    Validations.of(domain).acknowledge({
      id: 'AwsSolutions-OS3',
      reason:
        'The domain lives in private subnets with no public endpoint; access is limited by security group (functions only) and the writer role, so an IP allow-list does not apply.',
    });
    if (!production) {
      for (const ruleId of ['AwsSolutions-OS4', 'AwsSolutions-OS7']) {
        Validations.of(domain).acknowledge({
          id: ruleId,
          reason:
            'Test stages run a single data node to stay cheap; production runs dedicated masters and three-AZ zone awareness.',
        });
      }
    }
    // Fine-grained access decides per index; the resource policy admits the writer to the bulk API and the admin.
    // Set on the resource itself: addAccessPolicies would deploy a custom-resource Lambda to write it.
    const domainPath = (path: string) =>
      Stack.of(this).formatArn({ service: 'es', resource: 'domain', resourceName: `${domainName}/${path}` });
    const bulk = domainPath('_bulk');
    (domain.node.defaultChild as opensearch.CfnDomain).accessPolicies = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'WriterBulkOnly',
          principals: [new iam.ArnPrincipal(writerRole.roleArn)],
          actions: ['es:ESHttpPost'],
          resources: [bulk],
        }),
        new iam.PolicyStatement({
          sid: 'Admin',
          principals: [new iam.ArnPrincipal(admin.roleArn)],
          actions: [
            'es:ESHttpGet',
            'es:ESHttpHead',
            'es:ESHttpPost',
            'es:ESHttpPut',
            'es:ESHttpPatch',
            'es:ESHttpDelete',
          ],
          resources: [domainPath('*')],
        }),
      ],
    }).toJSON();
    writer.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'BulkWriteAuditEvents', actions: ['es:ESHttpPost'], resources: [bulk] }),
    );
    return { domain, admin };
  }
}
