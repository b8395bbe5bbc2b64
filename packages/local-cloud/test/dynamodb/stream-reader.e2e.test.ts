import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { flagItem, flagTableDefinition, getItem, localDynamo, uniqueTableName } from './support';
import {
  createReplicaTables,
  deleteReplicaTables,
  dynamoClient,
  dynamoStreamsClient,
  startGlobalTableReplication,
  StreamReader,
} from '../../src/dynamodb';

/*
 * TRIM_HORIZON is "the oldest (untrimmed) stream record in the shard", and records are kept 24 hours
 * (DynamoDB Streams API reference, GetShardIterator; "Working with DynamoDB Streams"): a reader of a fresh
 * stream that polls it until the first write must get that write, never TrimmedDataAccessException. DynamoDB
 * Local numbers stream records per region database, so another table's writes in the region (or a CreateTable)
 * move the shard's first record past the iterator it handed out while the shard was empty.
 */
const REGIONS = ['eu-south-2', 'il-central-1'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

/** A fresh table with a stream in `regions`, deleted after the test. */
async function freshTable(label: string, regions: readonly string[]): Promise<string> {
  const options = localDynamo();
  const tableName = uniqueTableName(label);
  await createReplicaTables({ ...options, regions, table: flagTableDefinition(tableName) });
  cleanups.push(() => deleteReplicaTables({ ...options, regions, tableName }));
  return tableName;
}

async function put(region: string, tableName: string, item: ReturnType<typeof flagItem>): Promise<void> {
  const client = dynamoClient(localDynamo(), region);
  try {
    await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
  } finally {
    client.destroy();
  }
}

async function reader(region: string, tableName: string): Promise<StreamReader> {
  const options = localDynamo();
  const client = dynamoClient(options, region);
  const streams = dynamoStreamsClient(options, region);
  cleanups.push(async () => streams.destroy());
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return new StreamReader(streams, Table!.LatestStreamArn!);
  } finally {
    client.destroy();
  }
}

const keys = (records: Awaited<ReturnType<StreamReader['read']>>) => records.map((r) => r.dynamodb?.Keys?.pk?.S);

describe('StreamReader on DynamoDB Local: a fresh stream polled while empty', () => {
  test("gets the shard's first record after another table of the region wrote", async () => {
    const [region] = REGIONS;
    const watched = await freshTable('sr-watched', [region]);
    const other = await freshTable('sr-other', [region]);
    const stream = await reader(region, watched);
    expect(await stream.read()).toEqual([]);

    await put(region, other, flagItem('elsewhere', 1));
    await put(region, watched, flagItem('first', 1));
    expect(keys(await stream.read())).toEqual(['first']);

    // Read on from the last record: the next one once, with more of the other table's writes in between.
    await put(region, other, flagItem('elsewhere', 2));
    await put(region, watched, flagItem('second', 1));
    expect(keys(await stream.read())).toEqual(['second']);
    expect(await stream.read()).toEqual([]);
  });

  test('replication keeps going when another table is created and written in every region (the bench floor)', async () => {
    const options = localDynamo();
    const [primary, secondary] = REGIONS;
    const flags = await freshTable('sr-flags', REGIONS);
    const replication = startGlobalTableReplication({ ...options, tableName: flags, regions: REGIONS });
    cleanups.push(() => replication.stop());
    // Replication has polled the still-empty streams before anything else happens in the regions.
    await replication.settled();

    const floor = await freshTable('sr-floor', REGIONS);
    for (const region of REGIONS) await put(region, floor, flagItem(`floor-${region}`, 1));
    await put(primary, flags, flagItem('after-floor', 1));
    await replication.settled();
    expect(await getItem(options, secondary, flags, 'after-floor')).toMatchObject({ version: { N: '1' } });
  });
});
