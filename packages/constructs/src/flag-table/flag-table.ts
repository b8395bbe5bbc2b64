import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { RegionError } from '../errors';
import { resourceName } from '../naming';

export interface FlagTableProps {
  /** Stage name; the table is named `<stage>-flags`. */
  readonly stage: string;
  /** Every region that serves flags, including the stack's own; each other region gets a replica. */
  readonly regions: readonly string[];
  /**
   * Production keeps data: retain on delete, deletion protection and point-in-time recovery.
   * @default false - a test stage is destroyed completely with its stack
   */
  readonly production?: boolean;
}

/**
 * The flag store: a DynamoDB global table with a stream of old and new images in every region, which
 * is what each region's validator consumes.
 */
export class FlagTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: FlagTableProps) {
    super(scope, id);
    const production = props.production ?? false;
    const here = Stack.of(this).region;
    if (Token.isUnresolved(here)) {
      throw new RegionError(
        'FlagTable needs a stack with an explicit region (a global table is created in one region): pass env: { account, region } to its Stack',
      );
    }
    const replicas = props.regions.filter((region) => region !== here).map((region) => ({ region }));
    if (replicas.length === props.regions.length) {
      throw new RegionError(
        `the stack's region ${here} must be one of the flag regions (${props.regions.join(', ')}): add it to regions or deploy the table from one of them`,
      );
    }
    this.table = new dynamodb.TableV2(this, 'Resource', {
      tableName: resourceName(props.stage, 'flags'),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: production },
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      replicas,
    });
  }
}
