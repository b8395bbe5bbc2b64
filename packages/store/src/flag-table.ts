import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

/** How long table creation may take before the helper gives up. */
const TABLE_WAIT_SECONDS = 60;

/**
 * Creates a flag table with the key schema and stream of the FlagTable construct, for tests and the local
 * runtime; resolves to its stream ARN once the table is active.
 */
export async function createFlagTable(client: DynamoDBClient, tableName: string): Promise<{ streamArn: string }> {
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS }, { TableName: tableName });
  if (!TableDescription?.LatestStreamArn) throw new Error(`table ${tableName} was created without a stream`);
  return { streamArn: TableDescription.LatestStreamArn };
}

/** Deletes a table made by createFlagTable; a table that is already gone is fine. */
export async function deleteFlagTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}
