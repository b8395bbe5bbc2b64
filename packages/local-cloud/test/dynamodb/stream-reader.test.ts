import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { StreamReader } from '../../src/dynamodb';

/**
 * A stream whose shards close and split the way DynamoDB Streams documents it: a closed shard's last
 * GetRecords has no NextShardIterator, and its children name it as ParentShardId. (DynamoDB Local keeps one
 * shard for a short test, so the lifecycle is checked against this fake.)
 */
class FakeStream {
  readonly shards: {
    id: string;
    parent?: string;
    records: string[];
    open: boolean;
    read: number;
    trimmed?: boolean;
  }[] = [];

  readonly client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        return {
          StreamDescription: {
            Shards: this.shards.map((s) => ({ ShardId: s.id, ParentShardId: s.parent })),
          },
        };
      }
      if (command instanceof GetShardIteratorCommand) return { ShardIterator: command.input.ShardId };
      if (command instanceof GetRecordsCommand) {
        const shard = this.shards.find((s) => s.id === command.input.ShardIterator)!;
        if (shard.trimmed) {
          throw Object.assign(new Error('read past the oldest record'), { name: 'TrimmedDataAccessException' });
        }
        const records = shard.records.slice(shard.read).map((id): _Record => ({ eventID: id }));
        shard.read = shard.records.length;
        return { Records: records, NextShardIterator: shard.open ? shard.id : undefined };
      }
      throw new Error(`unexpected command ${String(command)}`);
    },
  } as unknown as DynamoDBStreamsClient;

  add(id: string, records: string[], parent?: string) {
    this.shards.push({ id, parent, records, open: true, read: 0 });
  }

  shard(id: string) {
    return this.shards.find((s) => s.id === id)!;
  }
}

const ids = (records: _Record[]) => records.map((r) => r.eventID);

describe('StreamReader', () => {
  test('reads each record once, from the start of the stream', async () => {
    const stream = new FakeStream();
    stream.add('s1', ['a', 'b']);
    const reader = new StreamReader(stream.client, 'arn');
    expect(ids(await reader.read())).toEqual(['a', 'b']);
    stream.shard('s1').records.push('c');
    expect(ids(await reader.read())).toEqual(['c']);
    expect(ids(await reader.read())).toEqual([]);
  });

  test('a child shard is read only after its parent is closed and drained, then at once', async () => {
    const stream = new FakeStream();
    stream.add('parent', ['p1']);
    stream.add('child', ['c1'], 'parent');
    const reader = new StreamReader(stream.client, 'arn');
    expect(ids(await reader.read())).toEqual(['p1']);

    stream.shard('parent').records.push('p2');
    stream.shard('parent').open = false;
    // The parent's last records come before any of the child's, in the same read.
    expect(ids(await reader.read())).toEqual(['p2', 'c1']);
  });

  test('a shard that appears later is found once the current one closes', async () => {
    const stream = new FakeStream();
    stream.add('first', ['f1']);
    const reader = new StreamReader(stream.client, 'arn');
    expect(ids(await reader.read())).toEqual(['f1']);

    stream.shard('first').open = false;
    expect(ids(await reader.read())).toEqual([]);
    stream.add('second', ['n1'], 'first');
    expect(ids(await reader.read())).toEqual(['n1']);
  });

  test('a shard trimmed after records were read is an error, not a re-read from the start (no duplicates)', async () => {
    const stream = new FakeStream();
    stream.add('s1', ['a']);
    const reader = new StreamReader(stream.client, 'arn');
    expect(ids(await reader.read())).toEqual(['a']);

    stream.shard('s1').trimmed = true;
    await expect(reader.read()).rejects.toMatchObject({ name: 'TrimmedDataAccessException' });
  });
});
