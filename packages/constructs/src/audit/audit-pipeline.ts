import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag';
import { resourceName } from '../naming';
import { PrivateNetwork } from '../network';

export interface AuditPipelineProps {
  readonly stage: string;
  readonly network: PrivateNetwork;
  readonly encryptionKey: kms.IKey;
  /** Drains the audit queue into OpenSearch. */
  readonly writer: lambda.IFunction;
  /**
   * Production: three dedicated masters, two data nodes per Availability Zone across up to three, retained data.
   * @default false - one data node, destroyed with the stack
   */
  readonly production?: boolean;
}

/**
 * Audit events go to a durable queue first; the writer drains it into an OpenSearch domain in the VPC
 * (HTTPS only, node-to-node and at-rest encryption, fine-grained access with the writer as master).
 * OpenSearch being down delays events; it never drops them.
 */
export class AuditPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly domain: opensearch.Domain;

  constructor(scope: Construct, id: string, props: AuditPipelineProps) {
    super(scope, id);
    const production = props.production ?? false;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.deadLetters = new sqs.Queue(this, 'Dlq', {
      queueName: resourceName(props.stage, 'audit-dlq'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    const writerTimeout =
      props.writer instanceof lambda.Function ? (props.writer.timeout ?? Duration.seconds(3)) : Duration.minutes(1);
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
    props.writer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: 5,
      }),
    );

    const securityGroup = new ec2.SecurityGroup(this, 'DomainSecurityGroup', {
      vpc: props.network.vpc,
      description: 'ffc audit OpenSearch: HTTPS from the functions only',
      allowAllOutbound: false,
    });
    props.network.allowFunctionsTo(securityGroup, ec2.Port.tcp(443), 'functions write and read audit events');
    const slowLogs = new logs.LogGroup(this, 'DomainLogs', {
      logGroupName: `/ffc/${props.stage}/audit-opensearch`,
      retention: production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      removalPolicy,
    });
    const subnets = props.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    // As many zones as the VPC has, up to three (an environment-agnostic stack knows only two).
    const zones = production ? Math.min(3, subnets.subnets.length) : 1;
    if (production && zones < 2) {
      throw new Error('a production audit domain needs private subnets in at least two Availability Zones');
    }
    this.domain = new opensearch.Domain(this, 'Domain', {
      domainName: resourceName(props.stage, 'audit'),
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
      fineGrainedAccessControl: { masterUserArn: props.writer.role!.roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: slowLogs,
        appLogEnabled: true,
        appLogGroup: slowLogs,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: slowLogs,
      },
      // A plain resource policy instead of CDK's custom resource (a Lambda with AWS managed policies) that writes one.
      suppressLogsResourcePolicy: true,
      removalPolicy,
    });
    new logs.ResourcePolicy(this, 'DomainLogsPolicy', {
      resourcePolicyName: resourceName(props.stage, 'audit-opensearch-logs'),
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [slowLogs.logGroupArn],
        }),
      ],
    });
    Validations.of(this.domain).acknowledge({
      id: 'AwsSolutions-OS3',
      reason:
        'The domain lives in private subnets with no public endpoint; access is limited by security group (functions only) and the writer role, so an IP allow-list does not apply.',
    });
    if (!production) {
      for (const ruleId of ['AwsSolutions-OS4', 'AwsSolutions-OS7']) {
        Validations.of(this.domain).acknowledge({
          id: ruleId,
          reason:
            'Test stages run a single data node to stay cheap; production runs dedicated masters and three-AZ zone awareness.',
        });
      }
    }
    // Fine-grained access decides per index; the resource policy admits only the writer's role. Set on the
    // resource itself: addAccessPolicies would deploy a custom-resource Lambda to write it.
    const domainPaths = Stack.of(this).formatArn({
      service: 'es',
      resource: 'domain',
      resourceName: `${resourceName(props.stage, 'audit')}/*`,
    });
    (this.domain.node.defaultChild as opensearch.CfnDomain).accessPolicies = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          principals: [new iam.ArnPrincipal(props.writer.role!.roleArn)],
          actions: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpHead'],
          resources: [domainPaths],
        }),
      ],
    }).toJSON();
    this.domain.grantReadWrite(props.writer);
    acknowledgeWildcardResource(
      props.writer.role!,
      `${this.domain.domainArn}/*`,
      'Index paths of the one audit domain; fine-grained access control limits the writer to the audit indices.',
    );
  }
}
