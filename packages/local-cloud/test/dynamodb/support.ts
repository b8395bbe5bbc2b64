import { randomBytes } from 'node:crypto';
import { AttributeValue, DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { _Record } from '@aws-sdk/client-dynamodb-streams';
import { ensureEngines } from '@ffc/tools';
import {
  createReplicaTables,
  deleteReplicaTables,
  dynamoClient,
  dynamoStreamsClient,
  LocalDynamoOptions,
  ReplicaTableDefinition,
} from '../../src/dynamodb';
import { StreamReader } from '../../src/dynamodb/stream-reader';

/** The twelve regions a stage serves. */
export { FLAG_REGIONS as TWELVE_REGIONS } from '@ffc/identifiers';

let engine: LocalDynamoOptions | undefined;

/** The per-region DynamoDB Local (no -sharedDb), started on first use. */
export function localDynamo(): LocalDynamoOptions {
  if (!engine) {
    // The lead adds 'cloud-dynamodb' to @ffc/tools' EngineName; tools/engines already knows it.
    ensureEngines(['cloud-dynamodb'] as never);
    engine = {
      endpoint: process.env.FFC_CLOUD_DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8012',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
  }
  return engine;
}

/** A table name no other test (or engineer sharing the engine) uses. */
export function uniqueTableName(label: string): string {
  return `rep-${label}-${randomBytes(4).toString('hex')}`;
}

/** The flag table's shape as the FlagTable construct declares it. */
export function flagTableDefinition(tableName: string): ReplicaTableDefinition {
  return {
    tableName,
    keySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    streamViewType: 'NEW_AND_OLD_IMAGES',
  };
}

/** Creates the flag table in `regions` before each test's use and deletes it afterwards. */
export function useReplicaTables(label: string, regions: readonly string[]) {
  const state: { options?: LocalDynamoOptions; tableName?: string } = {};
  beforeAll(async () => {
    state.options = localDynamo();
    state.tableName = uniqueTableName(label);
    await createReplicaTables({ ...state.options, regions, table: flagTableDefinition(state.tableName) });
  }, 60_000);
  afterAll(async () => {
    if (state.options && state.tableName) {
      await deleteReplicaTables({ ...state.options, regions, tableName: state.tableName });
    }
  }, 60_000);
  return () => {
    if (!state.options || !state.tableName) throw new Error('the replica tables are created in beforeAll');
    return { options: state.options, tableName: state.tableName };
  };
}

export function key(pk: string): Record<string, AttributeValue> {
  return { pk: { S: pk }, sk: { S: 'CURRENT' } };
}

export function flagItem(pk: string, version: number, extra: Record<string, AttributeValue> = {}) {
  return { ...key(pk), version: { N: String(version) }, ...extra };
}

export async function getItem(options: LocalDynamoOptions, region: string, tableName: string, pk: string) {
  const client = dynamoClient(options, region);
  try {
    return (await client.send(new GetItemCommand({ TableName: tableName, Key: key(pk), ConsistentRead: true }))).Item;
  } finally {
    client.destroy();
  }
}

/** Every record in one replica's stream so far, read independently of the replication under test. */
export async function streamRecords(
  options: LocalDynamoOptions,
  region: string,
  tableName: string,
): Promise<_Record[]> {
  const client = dynamoClient(options, region);
  const streams = dynamoStreamsClient(options, region);
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return await new StreamReader(streams, Table!.LatestStreamArn!).read();
  } finally {
    client.destroy();
    streams.destroy();
  }
}

/** The records of one item in a stream: (event, version attribute) pairs, in stream order. */
export function itemHistory(records: readonly _Record[], pk: string): string[] {
  return records
    .filter((r) => r.dynamodb?.Keys?.pk?.S === pk)
    .map((r) => `${r.eventName} ${r.dynamodb?.NewImage?.version?.N ?? '-'}`);
}
