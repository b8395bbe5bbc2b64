import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { flagTableDefinition, localDynamo, uniqueTableName } from './support';
import { createReplicaTables, deleteReplicaTables, dynamoClient, ReplicaTableMismatchError } from '../../src/dynamodb';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const options = () => localDynamo();
const created: string[] = [];

afterAll(async () => {
  await Promise.all(created.map((tableName) => deleteReplicaTables({ ...options(), regions: REGIONS, tableName })));
}, 60_000);

async function describeIn(region: string, tableName: string) {
  const client = dynamoClient(options(), region);
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
  } finally {
    client.destroy();
  }
}

function newTableName(label: string): string {
  const tableName = uniqueTableName(label);
  created.push(tableName);
  return tableName;
}

describe('createReplicaTables', () => {
  test('creates an ACTIVE replica with the declared keys, stream and indexes in every region', async () => {
    const tableName = newTableName('create');
    await createReplicaTables({
      ...options(),
      regions: REGIONS,
      table: {
        ...flagTableDefinition(tableName),
        attributeDefinitions: [
          ...flagTableDefinition(tableName).attributeDefinitions,
          { AttributeName: 'stage', AttributeType: 'S' },
        ],
        globalSecondaryIndexes: [
          {
            IndexName: 'byStage',
            KeySchema: [{ AttributeName: 'stage', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      },
    });
    for (const region of REGIONS) {
      const table = await describeIn(region, tableName);
      expect(table).toMatchObject({
        TableStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      });
      expect(table.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byStage']);
    }
  });

  test('is idempotent: a replica that exists with the same definition is kept', async () => {
    const tableName = newTableName('again');
    const replicas = { ...options(), regions: REGIONS, table: flagTableDefinition(tableName) };
    await createReplicaTables(replicas);
    const streamBefore = (await describeIn('eu-west-1', tableName)).LatestStreamArn;
    await createReplicaTables(replicas);
    expect((await describeIn('eu-west-1', tableName)).LatestStreamArn).toEqual(streamBefore);
  });

  test('refuses a replica with another key schema, naming the table and the region', async () => {
    const tableName = newTableName('clash');
    await createReplicaTables({ ...options(), regions: ['eu-west-1'], table: flagTableDefinition(tableName) });
    const hashOnly = {
      ...flagTableDefinition(tableName),
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
    };
    const attempt = createReplicaTables({ ...options(), regions: REGIONS, table: hashOnly });
    await expect(attempt).rejects.toThrow(ReplicaTableMismatchError);
    await expect(attempt).rejects.toThrow(
      `table '${tableName}' already exists in eu-west-1 with key schema (pk HASH, sk RANGE)`,
    );
  });

  test('refuses a replica whose stream is not the declared one', async () => {
    const tableName = newTableName('stream');
    await createReplicaTables({
      ...options(),
      regions: ['us-east-1'],
      table: { ...flagTableDefinition(tableName), streamViewType: 'KEYS_ONLY' },
    });
    await expect(
      createReplicaTables({ ...options(), regions: REGIONS, table: flagTableDefinition(tableName) }),
    ).rejects.toThrow(
      `table '${tableName}' already exists in us-east-1 with KEYS_ONLY stream instead of NEW_AND_OLD_IMAGES`,
    );
  });
});
