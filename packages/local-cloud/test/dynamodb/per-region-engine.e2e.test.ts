import { DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { flagItem, getItem, localDynamo, streamRecords, useReplicaTables } from './support';
import { dynamoClient, InvalidLocalCredentialsError } from '../../src/dynamodb';

/*
 * What replication is built on: DynamoDB Local without -sharedDb keeps one database per access key id and
 * region ("the database file is named myaccesskeyid_region.db", DynamoDB local usage notes,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html), so a client
 * with a fixed key and region X is replica X.
 */
const table = useReplicaTables('engine', ['us-east-1', 'eu-west-1']);

describe('DynamoDB Local without -sharedDb: one database per region', () => {
  test('the same table name in two regions holds two separate tables', async () => {
    const { options, tableName } = table();
    const east = dynamoClient(options, 'us-east-1');
    await east.send(new PutItemCommand({ TableName: tableName, Item: flagItem('isolated', 1) }));
    east.destroy();

    expect(await getItem(options, 'us-east-1', tableName, 'isolated')).toMatchObject({ version: { N: '1' } });
    expect(await getItem(options, 'eu-west-1', tableName, 'isolated')).toBeUndefined();
  });

  test('each region has its own stream, and sees only the writes made to it', async () => {
    const { options, tableName } = table();
    const east = await streamRecords(options, 'us-east-1', tableName);
    const west = await streamRecords(options, 'eu-west-1', tableName);
    expect(east.map((r) => r.dynamodb?.Keys?.pk?.S)).toContain('isolated');
    expect(west).toEqual([]);

    // Not compared: stream ARNs name only the table and its creation time in ms ('ddblocal' for the region),
    // so two regions' tables created in the same millisecond share one ARN string. The records show the isolation.
  });

  test('DynamoDB Local refuses an access key id with other characters than letters and digits', async () => {
    const { endpoint } = localDynamo();
    // Checked against the engine itself, which is why dynamoClient refuses such ids up front.
    const raw = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local-key', secretAccessKey: 'local' },
    });
    await expect(raw.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    raw.destroy();

    expect(() =>
      dynamoClient({ endpoint, credentials: { accessKeyId: 'local-key', secretAccessKey: 'local' } }, 'us-east-1'),
    ).toThrow(InvalidLocalCredentialsError);
  });
});
