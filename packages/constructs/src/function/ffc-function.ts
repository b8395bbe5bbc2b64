import { ArnFormat, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { MissingRoleError } from '../errors';
import { acknowledgeWildcardResource } from '../nag';
import { resourceName } from '../naming';
import { IPrivateNetwork } from '../network';

/**
 * The template metadata key under which a function records the AWS API actions its handler code calls, so a
 * review of the synthesised template (the deploy preflight) can hold the role to them.
 */
export const HANDLER_CALLS_METADATA = 'ffc:handlerCalls';

export interface FfcFunctionProps {
  /** Stage name; the function is `<stage>-<purpose>` and its log group `/aws/lambda/<stage>-<purpose>`. */
  readonly stage: string;
  /** What the function does, e.g. `validator`; the function is named `<stage>-<purpose>`. */
  readonly purpose: string;
  /** The bundled handler (an `index.js` exporting `handler`). */
  readonly code: lambda.Code;
  /**
   * The IAM actions the handler code itself calls (e.g. `sns:Publish`); what Lambda does for the function
   * (logs, traces, network interfaces, event source polling) is not listed. Recorded in the template.
   */
  readonly handlerCalls: readonly string[];
  /** The network the function runs in: its private subnets, and the endpoints it is allowed to call through. */
  readonly network: IPrivateNetwork;
  /** Encrypts the environment variables and the log group. */
  readonly encryptionKey: kms.IKey;
  /** How long one invocation may run; queues consuming into the function size their visibility timeout from it. */
  readonly timeout: Duration;
  /**
   * Memory in MB (CPU grows with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Environment variables besides `STAGE`, which is always set.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Concurrent executions reserved for (and capping) the function.
   * @default - unreserved: the function shares the region's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /** Longer log retention and a retained log group. @default false */
  readonly production?: boolean;
}

/** What constructs that wire a function need of it; {@link FfcFunction} is the implementation. */
export interface IFfcFunction extends IConstruct {
  /** The Lambda function itself. */
  readonly function: lambda.IFunction;
  /** Where the function logs: verification queries it, so it must be the function's own group. */
  readonly logGroup: logs.ILogGroup;
  /** The function's own security group: grant it exactly the network paths its handler uses. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** How long one invocation may run. */
  readonly timeout: Duration;
}

/**
 * The execution role of `fn`, for constructs that add statements or name it in a resource policy. A function
 * imported without a role has none: that is a wiring mistake, reported as {@link MissingRoleError}.
 */
export function executionRoleOf(fn: lambda.IFunction, purpose: string): iam.IRole {
  if (!fn.role) throw new MissingRoleError(fn.node.path, purpose);
  return fn.role;
}

/**
 * The one way this library makes a Lambda function: Node.js 24 (the handlers' bundle target) on arm64, in the
 * private subnets with a security group of its own (no egress until something is allowed), JSON logs in an
 * explicit, encrypted log group whose retention comes from the stage, X-Ray tracing on. The role has a generated name: IAM names are
 * global to the account, and every region deploys the same function.
 */
export class FfcFunction extends Construct implements IFfcFunction {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  /** The function's own security group: grant it exactly the network paths its handler uses. */
  readonly securityGroup: ec2.SecurityGroup;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: FfcFunctionProps) {
    super(scope, id);
    this.timeout = props.timeout;
    const production = props.production ?? false;
    const functionName = resourceName(props.stage, props.purpose);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      encryptionKey: props.encryptionKey,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // An explicit role instead of the AWS managed execution policies, which allow logging to any log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ffc ${props.purpose} (${props.stage})`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnLogGroupOnly',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: `ffc ${props.purpose} function`,
      allowAllOutbound: false,
    });
    const subnets = props.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    this.grantNetworkInterfaces(role, subnets.subnetIds);
    this.function = new lambda.Function(this, 'Resource', {
      functionName,
      role,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      // No --enable-source-maps: the handlers are bundled without source maps, and the flag only slows every stack trace.
      environment: { STAGE: props.stage, ...props.environment },
      environmentEncryption: props.encryptionKey,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.network.vpc,
      vpcSubnets: { subnets: subnets.subnets },
      securityGroups: [this.securityGroup],
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
    (this.function.node.defaultChild as CfnResource).addMetadata(HANDLER_CALLS_METADATA, [...props.handlerCalls]);
    acknowledgeWildcardResource(
      role,
      '*',
      'Only ec2:DescribeNetworkInterfaces (no resource-level permission) and X-Ray PutTraceSegments/PutTelemetryRecords (no resource ARN either).',
    );
  }

  /**
   * The network-interface calls Lambda makes with the function's role to attach it to the VPC, each on the
   * narrowest resource EC2 authorises it on: new interfaces only in the private subnets with this function's
   * security group.
   */
  private grantNetworkInterfaces(role: iam.Role, subnetIds: string[]): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, id: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const interfaces = ec2Arn('network-interface', '*');
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'CreateInterfacesInPrivateSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          interfaces,
          ec2Arn('security-group', this.securityGroup.securityGroupId),
          ...subnetIds.map((id) => ec2Arn('subnet', id)),
        ],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageOwnInterfaces',
        actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: [interfaces],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeInterfaces',
        actions: ['ec2:DescribeNetworkInterfaces'],
        resources: ['*'],
      }),
    );
    acknowledgeWildcardResource(
      role,
      interfaces,
      "Lambda creates and deletes the interfaces itself, so their ids are unknown; creation is limited to the private subnets and this function's security group.",
    );
  }
}
