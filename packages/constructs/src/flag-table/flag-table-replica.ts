import { Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { resourceName } from '../naming';

export interface FlagTableReplicaProps {
  /** Stage name; the global table is `<stage>-flags`. */
  readonly stage: string;
}

/**
 * This region's replica of the global flag table, for a regional stack. A replica's stream ARN carries a
 * creation timestamp that no CloudFormation attribute exposes outside the table's own stack, so it is read
 * at deploy time (DescribeTable in this region) instead of travelling as a cross-region reference.
 */
export class FlagTableReplica extends Construct {
  readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: FlagTableReplicaProps) {
    super(scope, id);
    const tableName = resourceName(props.stage, 'flags');
    const tableArn = Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName });
    const describe: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'describeTable',
      parameters: { TableName: tableName },
      physicalResourceId: cr.PhysicalResourceId.of(`${tableName}-stream`),
      outputPaths: ['Table.LatestStreamArn'],
    };
    const lookup = new cr.AwsCustomResource(this, 'StreamLookup', {
      onCreate: describe,
      onUpdate: describe,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [tableArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.table = dynamodb.Table.fromTableAttributes(this, 'Resource', {
      tableName,
      tableStreamArn: lookup.getResponseField('Table.LatestStreamArn'),
    });
    // The provider function is CDK's singleton for AwsCustomResource: its managed policy is AWSLambdaBasicExecutionRole.
    const provider = Stack.of(this).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's AwsCustomResource provider (one DescribeTable at deploy time) only writes its own logs with it.",
      });
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-L1',
        reason: "The runtime of CDK's AwsCustomResource provider is chosen by aws-cdk-lib and moves with it.",
      });
    }
  }
}
