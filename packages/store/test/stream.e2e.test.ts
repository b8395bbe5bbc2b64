import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { createFlagStore, FlagDocument, FlagStore, FlagStreamChange, parseFlagStreamRecord } from '../src';
import { flagDocument, localClientConfig, uniqueFlagKey, useLocalFlagTable } from './local-table';

const table = useLocalFlagTable();
let store: FlagStore;
let streams: DynamoDBStreamsClient;
beforeAll(() => {
  const { documentClient, tableName, endpoint } = table();
  store = createFlagStore({ client: documentClient, tableName });
  streams = new DynamoDBStreamsClient(localClientConfig(endpoint));
});
afterAll(() => streams.destroy());

/** Every record on the table's stream so far, read the way Lambda's event source mapping reads them. */
async function readStream(): Promise<_Record[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: table().streamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: table().streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      // An open shard always hands out a next iterator: stop at the first empty page.
      iterator = page.Records?.length ? page.NextShardIterator : undefined;
    }
  }
  return records;
}

describe('the stream contract the validator relies on (real DynamoDB Local stream records)', () => {
  let changes: FlagStreamChange[];
  let totalRecords: number;
  let flagKey: string;
  let createdThenRemoved: string;

  beforeAll(async () => {
    flagKey = uniqueFlagKey('streamed');
    createdThenRemoved = uniqueFlagKey('removed');
    await store.put(flagDocument(flagKey, 1), { expectedVersion: 0 });
    await store.put(
      { ...flagDocument(flagKey, 2), targeting: { rules: [{ attribute: 'country', in: ['DE'] }] } },
      {
        expectedVersion: 1,
      },
    );
    await store.restore(flagKey, {
      rejectedVersion: 2,
      previous: (await store.getVersion(flagKey, 1)) as FlagDocument,
    });
    await store.recordVerification(flagKey, 'eu-west-1', 3);
    await store.put(flagDocument(createdThenRemoved, 1), { expectedVersion: 0 });
    await store.restore(createdThenRemoved, { rejectedVersion: 1 });
    const records = await readStream();
    totalRecords = records.length;
    changes = records.map(parseFlagStreamRecord).filter((change): change is FlagStreamChange => change !== null);
  });

  test('only CURRENT writes become changes; history and verification items are ignored', () => {
    // 5 CURRENT writes, 4 history versions, 1 verification fact.
    expect(totalRecords).toBe(10);
    expect(changes).toHaveLength(5);
  });

  test('a creation, a change and a restore arrive in order with both images', () => {
    const ofFlag = changes.filter((change) => change.flagKey === flagKey);
    expect(ofFlag.map((change) => change.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY']);
    expect(ofFlag[0]).toEqual({
      eventName: 'INSERT',
      flagKey,
      newDocument: { ...flagDocument(flagKey, 1), kind: 'change' },
    });
    expect(ofFlag[1].oldDocument).toMatchObject({ version: 1 });
    expect(ofFlag[1].newDocument).toMatchObject({
      version: 2,
      targeting: { rules: [{ attribute: 'country', in: ['DE'] }] },
    });
    expect(ofFlag[2].oldDocument).toMatchObject({ version: 2 });
    expect(ofFlag[2].newDocument).toMatchObject({ version: 3, kind: 'restore', restoreOf: 2, sourceVersion: 1 });
  });

  test('removing a rejected creation arrives as REMOVE with the old image only', () => {
    const ofFlag = changes.filter((change) => change.flagKey === createdThenRemoved);
    expect(ofFlag.map((change) => change.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(ofFlag[1].newDocument).toBeUndefined();
    expect(ofFlag[1].oldDocument).toMatchObject({ flagKey: createdThenRemoved, version: 1 });
  });

  test('the same record as Lambda delivers it (plain JSON) parses to the same change', async () => {
    const records = await readStream();
    const lambdaShaped = JSON.parse(JSON.stringify(records));
    expect(lambdaShaped.map(parseFlagStreamRecord).filter(Boolean)).toEqual(changes);
  });
});

test('createFlagTable gives the key schema and stream of the FlagTable construct', async () => {
  const { Table } = await table().client.send(new DescribeTableCommand({ TableName: table().tableName }));
  expect(Table?.KeySchema).toEqual([
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ]);
  expect(Table?.AttributeDefinitions).toEqual(
    expect.arrayContaining([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ]),
  );
  expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
});
