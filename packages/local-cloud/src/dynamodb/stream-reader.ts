import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';

/** How often the shard list is read again while no shard has closed (a closed shard triggers a read at once). */
const SHARD_REFRESH_MS = 1_000;

interface ShardState {
  readonly parentShardId?: string;
  /** Undefined until the first read; null once the shard is closed and read to its end. */
  iterator?: string | null;
  /** A record has been read from the shard: from then on its iterators point at records that exist. */
  started?: boolean;
}

/**
 * Reads one table's stream from its start, shard by shard: new shards are picked up as they appear, and a
 * child shard is read only after its parent is closed and drained, so the records of one item stay in order.
 */
export class StreamReader {
  private readonly shards = new Map<string, ShardState>();
  private shardsReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
  ) {}

  /** The records written since the previous call (at most one GetRecords page per shard). */
  async read(): Promise<_Record[]> {
    if (performance.now() - this.shardsReadAt >= SHARD_REFRESH_MS) await this.refreshShards();
    const records: _Record[] = [];
    for (const [shardId, shard] of this.shards) {
      if (shard.iterator === null || !this.parentDrained(shard)) continue;
      const page = await this.getRecords(shardId, shard);
      records.push(...(page.Records ?? []));
      shard.started ||= (page.Records ?? []).length > 0;
      shard.iterator = page.NextShardIterator ?? null;
      if (shard.iterator === null) this.shardsReadAt = Number.NEGATIVE_INFINITY;
    }
    return records;
  }

  /**
   * One GetRecords page from where the shard was left. DynamoDB Local numbers stream records per database, not
   * per shard, so an iterator taken while the shard was still empty points at its StartingSequenceNumber; once
   * any table of the same region has written (CreateTable counts), the shard's first record lands further on and
   * that iterator is refused with TrimmedDataAccessException ("read past the oldest stream record"), nothing
   * trimmed at all. Until a first record has been read, such a refusal is answered with a fresh TRIM_HORIZON.
   */
  private async getRecords(shardId: string, shard: ShardState) {
    try {
      return await this.streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator ?? (await this.trimHorizon(shardId)) }),
      );
    } catch (error) {
      if ((error as Error).name !== 'TrimmedDataAccessException' || shard.started) throw error;
      return this.streams.send(new GetRecordsCommand({ ShardIterator: await this.trimHorizon(shardId) }));
    }
  }

  private async trimHorizon(shardId: string): Promise<string | undefined> {
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    return ShardIterator;
  }

  /** A parent that has aged out of the stream (not listed) no longer holds records to wait for. */
  private parentDrained(shard: ShardState): boolean {
    const parent = shard.parentShardId === undefined ? undefined : this.shards.get(shard.parentShardId);
    return parent === undefined || parent.iterator === null;
  }

  private async refreshShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !this.shards.has(shard.ShardId)) {
          this.shards.set(shard.ShardId, { parentShardId: shard.ParentShardId });
        }
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    this.shardsReadAt = performance.now();
  }
}
