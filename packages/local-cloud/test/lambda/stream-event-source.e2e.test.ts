import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ensureEngines } from '@ffc/tools';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  StreamEventSourceSettings,
  StreamInvocationRecord,
  startStreamEventSource,
} from '../../src/lambda/stream-event-source';

const REGION = 'eu-west-1';
let tables: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  const { dynamodbEndpoint } = ensureEngines(['dynamodb']);
  const config = {
    endpoint: dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  tables = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
}, 120_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  tables.destroy();
  streams.destroy();
});

/** A table of this test's own (DynamoDB Local is shared with other engineers' tests), with its stream. */
async function newTable(): Promise<{ tableName: string; streamArn: string; put(key: string): Promise<void> }> {
  const tableName = `es-${randomBytes(4).toString('hex')}`;
  const { TableDescription } = await tables.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  cleanups.push(() => tables.send(new DeleteTableCommand({ TableName: tableName })));
  return {
    tableName,
    streamArn: TableDescription!.LatestStreamArn!,
    async put(key: string) {
      await tables.send(
        new PutItemCommand({ TableName: tableName, Item: { pk: { S: key }, blob: { B: Buffer.from(key) } } }),
      );
    },
  };
}

type Invoke = (event: DynamoDBStreamEvent) => Promise<unknown>;

function start(
  settings: Partial<StreamEventSourceSettings> & Pick<StreamEventSourceSettings, 'streamArn'>,
  invoke: Invoke,
) {
  const mapping = startStreamEventSource(
    {
      streams,
      region: REGION,
      batchSize: 10,
      startingPosition: 'TRIM_HORIZON',
      pollIntervalMs: 10,
      functionTimeoutSeconds: 2,
      ...settings,
    },
    invoke,
  );
  cleanups.push(() => mapping.stop());
  return mapping;
}

const keysOf = (records: readonly DynamoDBRecord[]) => records.map((record) => record.dynamodb?.Keys?.pk?.S);
const keys = (count: number) => Array.from({ length: count }, (_, i) => `k${i + 1}`);

async function putAll(table: { put(key: string): Promise<void> }, keyList: readonly string[]): Promise<void> {
  for (const key of keyList) await table.put(key);
}

describe('Using Lambda with Amazon DynamoDB: records in order, as Lambda delivers them', () => {
  test('batches of BatchSize, in stream order, shaped like the documented DynamoDB Streams event', async () => {
    const table = await newTable();
    await putAll(table, keys(7));
    const batches: DynamoDBRecord[][] = [];
    const mapping = start({ streamArn: table.streamArn, batchSize: 3 }, async (event) => {
      batches.push(event.Records);
    });
    await mapping.idle();
    expect(batches.map(keysOf)).toEqual([['k1', 'k2', 'k3'], ['k4', 'k5', 'k6'], ['k7']]);
    const [first] = batches[0];
    expect(first).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: expect.any(String),
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'k1' } },
        // Binary attributes arrive base64-encoded, as in Lambda's JSON event ("k1" → "azE=").
        NewImage: { pk: { S: 'k1' }, blob: { B: 'azE=' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: table.streamArn,
    });
    // Epoch seconds, not milliseconds.
    expect(Math.abs(first.dynamodb!.ApproximateCreationDateTime! - Date.now() / 1000)).toBeLessThan(120);
  });

  test('LATEST delivers only what is written after the mapping is ready', async () => {
    const table = await newTable();
    await putAll(table, ['before-1', 'before-2']);
    const seen: string[] = [];
    const mapping = start({ streamArn: table.streamArn, startingPosition: 'LATEST' }, async (event) => {
      seen.push(...(keysOf(event.Records) as string[]));
    });
    await mapping.ready();
    await table.put('after');
    await mapping.idle();
    expect(seen).toEqual(['after']);
  });
});

describe('Error handling for DynamoDB event sources (BisectBatchOnFunctionError, MaximumRetryAttempts, OnFailure)', () => {
  test('a failing batch is retried whole, MaximumRetryAttempts times, then its metadata goes to OnFailure and the shard moves on', async () => {
    const table = await newTable();
    await putAll(table, ['bad-1', 'bad-2', 'bad-3']);
    const attempts: string[][] = [];
    const failures: StreamInvocationRecord[] = [];
    const mapping = start(
      { streamArn: table.streamArn, maximumRetryAttempts: 2, onFailure: async (record) => void failures.push(record) },
      async (event) => {
        attempts.push(keysOf(event.Records) as string[]);
        if (event.Records.some((record) => record.dynamodb?.Keys?.pk?.S?.startsWith('bad'))) {
          throw new Error('cannot process');
        }
      },
    );
    await mapping.idle();
    // One invocation and two retries of the same batch.
    expect(attempts).toEqual([
      ['bad-1', 'bad-2', 'bad-3'],
      ['bad-1', 'bad-2', 'bad-3'],
      ['bad-1', 'bad-2', 'bad-3'],
    ]);
    expect(failures).toHaveLength(1);
    // The shape of the documented example invocation record.
    expect(failures[0]).toEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: `arn:aws:lambda:${REGION}:000000000000:function:local`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: expect.stringMatching(/^\d+$/),
        endSequenceNumber: expect.stringMatching(/^\d+$/),
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        batchSize: 3,
        streamArn: table.streamArn,
      },
    });
    const info = failures[0].DDBStreamBatchInfo;
    expect(BigInt(info.startSequenceNumber) < BigInt(info.endSequenceNumber)).toBe(true);
    await table.put('good');
    await mapping.idle();
    expect(attempts[attempts.length - 1]).toEqual(['good']);
    expect(mapping.stats()).toMatchObject({
      invocations: 4,
      failedInvocations: 3,
      recordsDiscarded: 3,
      recordsSucceeded: 1,
    });
  });

  test('bisecting isolates the poison record: the good records around it are processed, in order', async () => {
    const table = await newTable();
    await putAll(table, keys(8));
    const invocations: string[][] = [];
    const succeeded: string[] = [];
    const failures: StreamInvocationRecord[] = [];
    const mapping = start(
      {
        streamArn: table.streamArn,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 1,
        onFailure: async (record) => void failures.push(record),
      },
      async (event) => {
        const batch = keysOf(event.Records) as string[];
        invocations.push(batch);
        if (batch.includes('k6')) throw new Error('poison');
        succeeded.push(...batch);
      },
    );
    await mapping.idle();
    expect(invocations).toEqual([
      keys(8),
      ['k1', 'k2', 'k3', 'k4'],
      ['k5', 'k6', 'k7', 'k8'],
      ['k5', 'k6'],
      ['k5'],
      ['k6'],
      // Splitting used no retries; the single poison record gets its one retry.
      ['k6'],
      ['k7', 'k8'],
    ]);
    expect(succeeded).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k7', 'k8']);
    expect(failures).toHaveLength(1);
    expect(failures[0].DDBStreamBatchInfo.batchSize).toBe(1);
    expect(failures[0].DDBStreamBatchInfo.startSequenceNumber).toBe(failures[0].DDBStreamBatchInfo.endSequenceNumber);
    expect(failures[0].requestContext.approximateInvokeCount).toBe(2);
  });

  test('splitting does not use up retries: a poison record at the head still gets its retries when alone', async () => {
    const table = await newTable();
    await putAll(table, keys(8));
    const invocations: string[][] = [];
    const failures: StreamInvocationRecord[] = [];
    const mapping = start(
      {
        streamArn: table.streamArn,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 1,
        onFailure: async (record) => void failures.push(record),
      },
      async (event) => {
        invocations.push(keysOf(event.Records) as string[]);
        if (keysOf(event.Records).includes('k1')) throw new Error('poison');
      },
    );
    await mapping.idle();
    expect(invocations).toEqual([
      keys(8),
      ['k1', 'k2', 'k3', 'k4'],
      ['k1', 'k2'],
      ['k1'],
      ['k1'],
      ['k2'],
      ['k3', 'k4'],
      ['k5', 'k6', 'k7', 'k8'],
    ]);
    expect(failures.map((record) => record.requestContext.approximateInvokeCount)).toEqual([2]);
  });

  test('records older than MaximumRecordAgeInSeconds are discarded with condition RecordAgeExceeded', async () => {
    const table = await newTable();
    await putAll(table, ['old-1', 'old-2']);
    let offsetMs = 0;
    const failures: StreamInvocationRecord[] = [];
    const attempts: string[][] = [];
    const mapping = start(
      {
        streamArn: table.streamArn,
        maximumRecordAgeSeconds: 60,
        clock: { now: () => Date.now() + offsetMs },
        onFailure: async (record) => void failures.push(record),
      },
      async (event) => {
        attempts.push(keysOf(event.Records) as string[]);
        // The first attempt fails; by the retry the records are two minutes old.
        offsetMs = 180_000;
        throw new Error('down');
      },
    );
    await mapping.idle();
    expect(attempts).toEqual([['old-1', 'old-2']]);
    expect(
      failures.map((record) => [record.requestContext.condition, record.requestContext.approximateInvokeCount]),
    ).toEqual([['RecordAgeExceeded', 1]]);
    expect(failures[0].DDBStreamBatchInfo.batchSize).toBe(2);
  });
});

describe('Configuring partial batch response with DynamoDB and Lambda (ReportBatchItemFailures)', () => {
  test('records before the reported sequence number are checkpointed; the retry starts from it', async () => {
    const table = await newTable();
    await putAll(table, keys(5));
    const invocations: string[][] = [];
    const mapping = start(
      { streamArn: table.streamArn, reportBatchItemFailures: true },
      async (event): Promise<DynamoDBBatchResponse> => {
        invocations.push(keysOf(event.Records) as string[]);
        if (invocations.length > 1) return { batchItemFailures: [] };
        // Two failures reported: "Lambda uses the record with the lowest sequence number as the checkpoint".
        const [, , third, fourth] = event.Records;
        return {
          batchItemFailures: [
            { itemIdentifier: fourth.dynamodb!.SequenceNumber! },
            { itemIdentifier: third.dynamodb!.SequenceNumber! },
          ],
        };
      },
    );
    await mapping.idle();
    expect(invocations).toEqual([keys(5), ['k3', 'k4', 'k5']]);
    expect(mapping.stats()).toMatchObject({ recordsSucceeded: 5, recordsDiscarded: 0 });
  });

  test('an itemIdentifier that is not a sequence number of the batch fails the whole batch', async () => {
    const table = await newTable();
    await putAll(table, keys(3));
    const invocations: string[][] = [];
    const mapping = start({ streamArn: table.streamArn, reportBatchItemFailures: true }, async (event) => {
      invocations.push(keysOf(event.Records) as string[]);
      return invocations.length === 1
        ? { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] }
        : undefined;
    });
    await mapping.idle();
    expect(invocations).toEqual([keys(3), keys(3)]);
  });
});

describe('settings Lambda would refuse, or that are not emulated', () => {
  test.each([
    [{ parallelizationFactor: 2 }, /ParallelizationFactor above 1 is not emulated by the local cloud/],
    [{ parallelizationFactor: 11 }, /ParallelizationFactor must be an integer from 1 to 10/],
    [{ tumblingWindowSeconds: 30 }, /TumblingWindowInSeconds is not emulated by the local cloud/],
    [{ maximumRetryAttempts: -2 }, /MaximumRetryAttempts must be an integer from -1 to 10000/],
    [{ maximumRecordAgeSeconds: 59 }, /MaximumRecordAgeInSeconds must be an integer from 60 to 604800/],
    [{ batchSize: 10_001 }, /BatchSize must be an integer from 1 to 10000/],
  ])('%j is refused', (settings, message) => {
    expect(() =>
      startStreamEventSource(
        {
          streams,
          streamArn: 'arn:aws:dynamodb:eu-west-1:1:table/t/stream/x',
          region: REGION,
          batchSize: 10,
          startingPosition: 'LATEST',
          enabled: false,
          ...settings,
        },
        async () => undefined,
      ),
    ).toThrow(message);
  });
});
