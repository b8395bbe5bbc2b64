import { ArnFormat, Aws, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { allowLogGroupEncryption } from '../encryption';
import { resourceName } from '../naming';

/** AWS APIs the regional path calls from inside the VPC, each through an interface endpoint. */
const INTERFACE_ENDPOINTS = {
  Sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  Events: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  StepFunctions: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
} satisfies Record<string, ec2.InterfaceVpcEndpointAwsService>;

/** Endpoints whose every call names a resource, so the perimeter can also require it to be this account's. */
const RESOURCE_SCOPED_ENDPOINTS: ReadonlySet<string> = new Set([
  'Sns',
  'Sqs',
  'Events',
  'StepFunctions',
  'Kms',
  'SecretsManager',
]);

/** What constructs placed in the network need of it; {@link PrivateNetwork} is the implementation. */
export interface IPrivateNetwork extends IConstruct {
  /** The VPC, whose isolated subnets hold the functions and data stores. */
  readonly vpc: ec2.IVpc;
  /** Lets a function's security group reach the AWS APIs through the interface endpoints (HTTPS). */
  allowApiCalls(functionGroup: ec2.ISecurityGroup): void;
  /** Lets a function reach DynamoDB through the gateway endpoint. */
  allowDynamoDb(functionGroup: ec2.ISecurityGroup): void;
  /** Opens `port` from one function's security group to a data store's, and nothing else. */
  allow(functionGroup: ec2.ISecurityGroup, target: ec2.ISecurityGroup, port: ec2.Port, description: string): void;
}

export interface PrivateNetworkProps {
  /** Stage name; the VPC is named `<stage>-network` and its flow logs go to `/ffc/<stage>/vpc-flow-logs`. */
  readonly stage: string;
  /**
   * Production spreads across three Availability Zones.
   * @default false - two Availability Zones
   */
  readonly production?: boolean;
  /**
   * The VPC's address range; each Availability Zone gets a /22 of it.
   * @default - `10.40.0.0/16`
   */
  readonly cidr?: string;
  /**
   * Encrypts the flow-log group (the key policy admits CloudWatch Logs for it).
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A VPC with isolated subnets only — no internet gateway, no NAT: handlers, Redis and OpenSearch reach
 * AWS APIs through VPC endpoints and nothing has a public path in or out.
 */
export class PrivateNetwork extends Construct implements IPrivateNetwork {
  readonly vpc: ec2.Vpc;
  private readonly endpointSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const production = props.production ?? false;
    this.vpc = new ec2.Vpc(this, 'Resource', {
      vpcName: resourceName(props.stage, 'network'),
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.40.0.0/16'),
      maxAzs: production ? 3 : 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
      restrictDefaultSecurityGroup: true,
    });
    acknowledgeRestrictDefaultSgProvider(this);
    const flowLogsName = `/ffc/${props.stage}/vpc-flow-logs`;
    if (props.encryptionKey) allowLogGroupEncryption(props.encryptionKey, [flowLogsName]);
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: flowLogsName,
      encryptionKey: props.encryptionKey,
      retention: production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, this.flowLogRole()),
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'Endpoints', {
      vpc: this.vpc,
      description: 'ffc VPC interface endpoints: HTTPS from the functions that call AWS APIs',
      allowAllOutbound: false,
    });
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const account = Stack.of(this).account;
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      const endpoint = this.vpc.addInterfaceEndpoint(name, {
        service,
        subnets,
        securityGroups: [this.endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
      endpoint.addToPolicy(this.perimeterStatement(account, RESOURCE_SCOPED_ENDPOINTS.has(name)));
    }
    this.vpc
      .addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [subnets] })
      .addToPolicy(this.perimeterStatement(account, true));
    // A custom resource in these subnets answers CloudFormation with a PUT to a presigned URL of CloudFormation's
    // response bucket (AWS::CloudFormation::CustomResource: "custom resources in the VPC must have access to
    // CloudFormation-specific S3 buckets"); the endpoint admits that and nothing else.
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [subnets] }).addToPolicy(
      new iam.PolicyStatement({
        sid: 'CloudFormationResponsesOnly',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [
          `arn:${Aws.PARTITION}:s3:::cloudformation-custom-resource-response-${responseBucketRegion(this)}/*`,
        ],
      }),
    );
  }

  /** Lets a function's security group reach the AWS APIs through the interface endpoints (HTTPS). */
  allowApiCalls(functionGroup: ec2.ISecurityGroup): void {
    this.allow(
      functionGroup,
      this.endpointSecurityGroup,
      ec2.Port.tcp(443),
      'AWS APIs through the interface endpoints',
    );
  }

  /**
   * Lets a function reach DynamoDB through the gateway endpoint. Its addresses are the region's managed prefix
   * list, whose id CloudFormation cannot resolve, so this is HTTPS to any address: with no internet gateway or
   * NAT in the VPC, only the gateway endpoint and the interface endpoints answer on it.
   */
  allowDynamoDb(functionGroup: ec2.ISecurityGroup): void {
    functionGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'DynamoDB through the gateway endpoint');
  }

  /** Opens `port` from one function's security group to a data store's (Redis, OpenSearch), and nothing else. */
  allow(functionGroup: ec2.ISecurityGroup, target: ec2.ISecurityGroup, port: ec2.Port, description: string): void {
    target.addIngressRule(functionGroup, port, description);
    functionGroup.addEgressRule(target, port, description);
  }

  /** The data perimeter of every endpoint: callers of this account only, and (where calls name one) its resources. */
  private perimeterStatement(account: string, resourceScoped: boolean): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'ThisAccountOnly',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'aws:PrincipalAccount': account,
          ...(resourceScoped ? { 'aws:ResourceAccount': account } : {}),
        },
      },
    });
  }

  /** The flow-log service may assume the role only for this account's flow logs (confused-deputy protection). */
  private flowLogRole(): iam.Role {
    const stack = Stack.of(this);
    return new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'ec2',
            resource: 'vpc-flow-log',
            resourceName: '*',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      }),
      description: 'VPC flow logs of the ffc network (the flow log grants it its log group)',
    });
  }
}

/** CloudFormation's response bucket carries the region without dashes (`…-response-useast1`); any, where unknown. */
function responseBucketRegion(scope: IConstruct): string {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? '*' : region.replace(/-/g, '');
}

/**
 * Control Tower CT.LAMBDA.PR.3 (functions in a VPC) does not fit CDK's `Custom::VpcRestrictDefaultSG` provider:
 * it runs once per deployment, calls only `ec2:RevokeSecurityGroup*` on this VPC's default group, and reads or
 * holds no data. In the isolated subnets it would need an EC2 interface endpoint for that one call.
 */
function acknowledgeRestrictDefaultSgProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (!provider) return;
  Validations.of(provider).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason:
      "CDK's deploy-time provider that empties the default security group; it touches no data, and inside the " +
      'isolated subnets it would need an EC2 interface endpoint (about $15-22 a month per region) for one call',
  });
}
