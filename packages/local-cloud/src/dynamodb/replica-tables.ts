import {
  AttributeDefinition,
  BillingMode,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GlobalSecondaryIndex,
  KeySchemaElement,
  ProvisionedThroughput,
  StreamViewType,
  TableDescription,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { dynamoClient, LocalDynamoOptions } from './client';
import { ReplicaTableMismatchError } from './errors';

/** How long one replica may take to become ACTIVE (or to disappear) before the helper gives up. */
const TABLE_WAIT_SECONDS = 60;

/** The part of a global table's declaration every replica shares, in CreateTable's terms. */
export interface ReplicaTableDefinition {
  /** Every replica has the same name (a global table's replicas always do). */
  readonly tableName: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  /** @default - PAY_PER_REQUEST, as TableV2 declares unless told otherwise */
  readonly billingMode?: BillingMode;
  /** Required by CreateTable when billingMode is PROVISIONED (DynamoDB Local does not throttle). @default - none */
  readonly provisionedThroughput?: ProvisionedThroughput;
  /** @default - no global secondary indexes */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  /** Replication reads the new image from each replica's stream, so KEYS_ONLY and OLD_IMAGE cannot be replicated. */
  readonly streamViewType: StreamViewType;
}

export interface ReplicaTablesOptions extends LocalDynamoOptions {
  readonly regions: readonly string[];
  readonly table: ReplicaTableDefinition;
}

/**
 * Creates the table in every region's database and waits until each is ACTIVE. Idempotent: a replica that
 * already exists with the same key schema and stream is kept; any other definition is an error.
 */
export async function createReplicaTables(options: ReplicaTablesOptions): Promise<void> {
  await Promise.all(
    options.regions.map(async (region) => {
      const client = dynamoClient(options, region);
      try {
        await createReplica(client, region, options.table);
      } finally {
        client.destroy();
      }
    }),
  );
}

/** Deletes the table in every region (tests and a fresh local stage); a replica that is already gone is fine. */
export async function deleteReplicaTables(
  options: LocalDynamoOptions & { readonly regions: readonly string[]; readonly tableName: string },
): Promise<void> {
  await Promise.all(
    options.regions.map(async (region) => {
      const client = dynamoClient(options, region);
      try {
        await client.send(new DeleteTableCommand({ TableName: options.tableName }));
        await waitUntilTableNotExists({ client, maxWaitTime: TABLE_WAIT_SECONDS }, { TableName: options.tableName });
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      } finally {
        client.destroy();
      }
    }),
  );
}

async function createReplica(client: DynamoDBClient, region: string, table: ReplicaTableDefinition): Promise<void> {
  const existing = await describe(client, table.tableName);
  if (existing) {
    checkSameDefinition(existing, region, table);
  } else {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.tableName,
          KeySchema: [...table.keySchema],
          AttributeDefinitions: [...table.attributeDefinitions],
          BillingMode: table.billingMode ?? 'PAY_PER_REQUEST',
          ProvisionedThroughput: table.provisionedThroughput,
          GlobalSecondaryIndexes: table.globalSecondaryIndexes ? [...table.globalSecondaryIndexes] : undefined,
          StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType },
        }),
      );
    } catch (error) {
      // Another caller created it between DescribeTable and CreateTable: check what it created instead.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
      checkSameDefinition((await describe(client, table.tableName))!, region, table);
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS }, { TableName: table.tableName });
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

function checkSameDefinition(existing: TableDescription, region: string, table: ReplicaTableDefinition): void {
  const keys = (schema: readonly KeySchemaElement[]) => schema.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ');
  const have = keys(existing.KeySchema ?? []);
  const want = keys(table.keySchema);
  if (have !== want) {
    throw new ReplicaTableMismatchError(table.tableName, region, `key schema (${have}) instead of (${want})`);
  }
  const stream = existing.StreamSpecification?.StreamEnabled ? existing.StreamSpecification.StreamViewType : 'no';
  if (stream !== table.streamViewType) {
    throw new ReplicaTableMismatchError(table.tableName, region, `${stream} stream instead of ${table.streamViewType}`);
  }
}
