import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FlagStore, createFlagStore, createFlagTable, deleteFlagTable, flagTableName } from '@ffc/store';
import { ensureEngines } from '@ffc/tools';

export interface LocalFlagTable {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly store: FlagStore;
}

/**
 * The flag table of `stage` on DynamoDB Local (other engineers' tests share the engine), created in beforeAll
 * and deleted afterwards: call the returned function inside tests.
 */
export function useFlagTable(stage: string): () => LocalFlagTable {
  let table: LocalFlagTable | undefined;
  beforeAll(async () => {
    const { dynamodbEndpoint: endpoint } = ensureEngines(['dynamodb']);
    // DynamoDB Local takes any credentials; the region only has to be a valid one.
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await createFlagTable(client, flagTableName(stage));
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    table = { endpoint, client, store: createFlagStore({ client: documentClient, tableName: flagTableName(stage) }) };
  }, 120_000);
  afterAll(async () => {
    if (!table) return;
    await deleteFlagTable(table.client, flagTableName(stage));
    table.client.destroy();
  });
  return () => {
    if (!table) throw new Error('the flag table is created in beforeAll: read it inside a test');
    return table;
  };
}
