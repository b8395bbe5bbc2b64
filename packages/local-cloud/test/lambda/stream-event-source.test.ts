import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { startStreamEventSource } from '../../src/lambda/stream-event-source';

const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:111122223333:table/flags/stream/2026-12-01T00:00:00.000';

interface FakeShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly records: _Record[];
  closed: boolean;
}

/**
 * DynamoDB Local keeps one shard per table, so shard lineage (a split closes the parent and opens children)
 * is exercised against this in-memory stream, which answers the three calls the mapping makes.
 */
class FakeStream {
  readonly shards: FakeShard[] = [];
  private sequence = 100;

  addShard(shardId: string, parentShardId?: string): FakeShard {
    const shard: FakeShard = { shardId, parentShardId, records: [], closed: false };
    this.shards.push(shard);
    return shard;
  }

  write(shard: FakeShard, key: string): void {
    this.sequence += 1;
    shard.records.push({
      eventID: `e${this.sequence}`,
      eventName: 'INSERT',
      dynamodb: {
        Keys: { pk: { S: key } },
        SequenceNumber: String(this.sequence),
        ApproximateCreationDateTime: new Date(),
      },
    });
  }

  client(): DynamoDBStreamsClient {
    const send = async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        return {
          StreamDescription: {
            Shards: this.shards.map((shard) => ({
              ShardId: shard.shardId,
              ParentShardId: shard.parentShardId,
              SequenceNumberRange: {
                StartingSequenceNumber: '1',
                ...(shard.closed ? { EndingSequenceNumber: '999' } : {}),
              },
            })),
          },
        };
      }
      if (command instanceof GetShardIteratorCommand) {
        const shard = this.shards.find((candidate) => candidate.shardId === command.input.ShardId)!;
        const position = command.input.ShardIteratorType === 'LATEST' ? shard.records.length : 0;
        return { ShardIterator: `${shard.shardId}#${position}` };
      }
      if (command instanceof GetRecordsCommand) {
        const [shardId, position] = command.input.ShardIterator!.split('#');
        const shard = this.shards.find((candidate) => candidate.shardId === shardId)!;
        const records = shard.records.slice(Number(position));
        const next = Number(position) + records.length;
        return {
          Records: records,
          NextShardIterator: shard.closed && next === shard.records.length ? undefined : `${shardId}#${next}`,
        };
      }
      throw new Error(`unexpected command ${String(command)}`);
    };
    return { send } as unknown as DynamoDBStreamsClient;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keysOf = (event: DynamoDBStreamEvent) => event.Records.map((record) => record.dynamodb?.Keys?.pk?.S as string);

describe('Using Lambda with DynamoDB: one reader per shard, a child shard after its parent', () => {
  test('a child shard is read only after its parent is closed and read to the end', async () => {
    const stream = new FakeStream();
    const parent = stream.addShard('shardId-parent');
    // Described before its parent, and already holding records: order must still come from the lineage.
    const child = stream.addShard('shardId-child', 'shardId-parent');
    stream.shards.reverse();
    stream.write(parent, 'p1');
    stream.write(child, 'c1');
    stream.write(parent, 'p2');
    const seen: string[] = [];
    const mapping = startStreamEventSource(
      {
        streams: stream.client(),
        streamArn: STREAM_ARN,
        region: 'eu-west-1',
        batchSize: 1,
        startingPosition: 'TRIM_HORIZON',
        pollIntervalMs: 5,
        // Frequent looks at the shard list give a reader that ignores lineage every chance to start early.
        shardDiscoveryIntervalMs: 10,
      },
      async (event) => {
        seen.push(...keysOf(event));
        await sleep(5);
      },
    );
    await sleep(100);
    expect(seen).toEqual(['p1', 'p2']);
    stream.write(parent, 'p3');
    parent.closed = true;
    await mapping.idle();
    expect(seen).toEqual(['p1', 'p2', 'p3', 'c1']);
    expect(mapping.stats()).toMatchObject({ shardsFinished: 1, shardsReading: 1 });
    await mapping.stop();
  });

  test('shards that appear later are found and read from their start', async () => {
    const stream = new FakeStream();
    const first = stream.addShard('shardId-first');
    stream.write(first, 'before');
    const seen: string[] = [];
    const mapping = startStreamEventSource(
      {
        streams: stream.client(),
        streamArn: STREAM_ARN,
        region: 'eu-west-1',
        batchSize: 10,
        startingPosition: 'LATEST',
        pollIntervalMs: 5,
        shardDiscoveryIntervalMs: 20,
      },
      async (event) => void seen.push(...keysOf(event)),
    );
    await mapping.ready();
    const later = stream.addShard('shardId-later');
    stream.write(later, 'on the new shard');
    stream.write(first, 'after');
    await sleep(60);
    await mapping.idle();
    expect(seen.sort()).toEqual(['after', 'on the new shard']);
    await mapping.stop();
  });

  test('with a batching window, records gather until the window ends or the batch is full', async () => {
    const stream = new FakeStream();
    const shard = stream.addShard('shardId-window');
    const batches: { keys: string[]; at: number }[] = [];
    const startedAt = Date.now();
    const mapping = startStreamEventSource(
      {
        streams: stream.client(),
        streamArn: STREAM_ARN,
        region: 'eu-west-1',
        batchSize: 3,
        maximumBatchingWindowSeconds: 1,
        startingPosition: 'TRIM_HORIZON',
        pollIntervalMs: 5,
      },
      async (event) => void batches.push({ keys: keysOf(event), at: Date.now() - startedAt }),
    );
    stream.write(shard, 'a');
    await sleep(200);
    stream.write(shard, 'b');
    await sleep(200);
    expect(batches).toEqual([]);
    await sleep(800);
    expect(batches.map((batch) => batch.keys)).toEqual([['a', 'b']]);
    expect(batches[0].at).toBeGreaterThanOrEqual(990);
    for (const key of ['c', 'd', 'e']) stream.write(shard, key);
    await sleep(100);
    expect(batches.map((batch) => batch.keys)).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    await mapping.stop();
  });
});
