import { Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { allowLogGroupEncryption } from '../encryption';
import { resourceName } from '../naming';
import { IPrivateNetwork } from '../network';

export interface FlagTableReplicaProps {
  /** Stage name; the global table is `<stage>-flags`. */
  readonly stage: string;
  /**
   * Production keeps the stream lookup's log group for a year and when the stack is deleted.
   * @default false - one week, destroyed with the stack
   */
  readonly production?: boolean;
}

/** Where the stream lookup runs: the regional path's network, logging under its key. */
export interface StreamLookupPlacement {
  /** Its isolated subnets hold the lookup function, which reaches DynamoDB through the gateway endpoint. */
  readonly network: IPrivateNetwork;
  /** Encrypts the lookup function's log group, like every function's. */
  readonly logEncryptionKey: kms.IKey;
}

/**
 * This region's replica of the global flag table, for a regional stack. A replica's stream ARN carries a
 * creation timestamp that no CloudFormation attribute exposes outside the table's own stack, so it is read
 * at deploy time (DescribeTable in this region) instead of travelling as a cross-region reference.
 *
 * The lookup is CDK's `AwsCustomResource` singleton; like every function of the path it runs in the private
 * network, which the path creates after it is handed {@link table}: place it with {@link lookUpStreamIn}
 * (synthesis fails until then).
 */
export class FlagTableReplica extends Construct {
  readonly table: dynamodb.ITable;
  private readonly stage: string;
  private readonly production: boolean;
  private streamArn?: string;

  constructor(scope: Construct, id: string, props: FlagTableReplicaProps) {
    super(scope, id);
    this.stage = props.stage;
    this.production = props.production ?? false;
    this.table = dynamodb.Table.fromTableAttributes(this, 'Resource', {
      tableName: resourceName(props.stage, 'flags'),
      tableStreamArn: Lazy.string({ produce: () => this.streamArn }),
    });
    this.node.addValidation({
      validate: () =>
        this.streamArn
          ? []
          : [`${this.node.path}: call lookUpStreamIn({ network, logEncryptionKey }) to place the stream lookup`],
    });
  }

  /** Creates the deploy-time stream lookup in `placement`'s network (once). */
  lookUpStreamIn(placement: StreamLookupPlacement): void {
    if (this.streamArn) throw new Error(`${this.node.path}: the stream lookup is already placed`);
    const tableName = resourceName(this.stage, 'flags');
    const tableArn = Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName });
    const describe: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'describeTable',
      parameters: { TableName: tableName },
      physicalResourceId: cr.PhysicalResourceId.of(`${tableName}-stream`),
      outputPaths: ['Table.LatestStreamArn'],
    };
    const logGroupName = `/aws/lambda/${resourceName(this.stage, 'flag-stream-lookup')}`;
    allowLogGroupEncryption(placement.logEncryptionKey, [logGroupName]);
    const lookup = new cr.AwsCustomResource(this, 'StreamLookup', {
      onCreate: describe,
      onUpdate: describe,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [tableArn] }),
      ]),
      installLatestAwsSdk: false,
      vpc: placement.network.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      logGroup: new logs.LogGroup(this, 'StreamLookupLogs', {
        logGroupName,
        retention: this.production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
        encryptionKey: placement.logEncryptionKey,
        removalPolicy: this.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
    });
    this.streamArn = lookup.getResponseField('Table.LatestStreamArn');
    this.acknowledgeProvider();
  }

  /** The provider function is CDK's singleton for AwsCustomResource, with AWS managed execution policies. */
  private acknowledgeProvider(): void {
    const provider = Stack.of(this).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (!provider) return;
    for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
      Validations.of(provider).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason: `CDK's AwsCustomResource provider (one DescribeTable at deploy time) gets ${policy} from aws-cdk-lib: its own logs and network interfaces.`,
      });
    }
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "The runtime of CDK's AwsCustomResource provider is chosen by aws-cdk-lib and moves with it.",
    });
  }
}
