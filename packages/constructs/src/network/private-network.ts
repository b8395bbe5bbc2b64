import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resourceName } from '../naming';

/** AWS APIs the regional path calls from inside the VPC, each through an interface endpoint. */
const INTERFACE_ENDPOINTS: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
  Sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  Events: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  StepFunctions: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
};

export interface PrivateNetworkProps {
  readonly stage: string;
  /**
   * Production spreads across three Availability Zones.
   * @default false - two Availability Zones
   */
  readonly production?: boolean;
  /** @default - `10.40.0.0/16` */
  readonly cidr?: string;
}

/**
 * A VPC with isolated subnets only — no internet gateway, no NAT: handlers, Redis and OpenSearch reach
 * AWS APIs through VPC endpoints and nothing has a public path in or out.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** Security group of the Lambda functions; data stores admit traffic from it only. */
  readonly functionSecurityGroup: ec2.SecurityGroup;

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
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/ffc/${props.stage}/vpc-flow-logs`,
      retention: production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });

    this.functionSecurityGroup = new ec2.SecurityGroup(this, 'Functions', {
      vpc: this.vpc,
      description: 'ffc Lambda functions',
      allowAllOutbound: false,
    });
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'Endpoints', {
      vpc: this.vpc,
      description: 'ffc VPC interface endpoints: HTTPS from the functions only',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(this.functionSecurityGroup, ec2.Port.tcp(443), 'functions call AWS APIs');
    // With no internet gateway or NAT, HTTPS can only reach the interface endpoints and the DynamoDB gateway endpoint.
    this.functionSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs through VPC endpoints');

    const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(name, {
        service,
        subnets,
        securityGroups: [endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
    this.vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [subnets] });
  }

  /** Lets functions open `port` on a data store's security group (Redis, OpenSearch), and nothing else. */
  allowFunctionsTo(target: ec2.SecurityGroup, port: ec2.Port, description: string): void {
    target.addIngressRule(this.functionSecurityGroup, port, description);
    this.functionSecurityGroup.addEgressRule(target, port, description);
  }
}
