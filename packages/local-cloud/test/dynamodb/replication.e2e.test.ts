import { AttributeValue, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { summarise } from '@ffc/tools';
import {
  flagItem,
  flagTableDefinition,
  getItem,
  itemHistory,
  key,
  localDynamo,
  streamRecords,
  TWELVE_REGIONS,
  uniqueTableName,
} from './support';
import {
  createReplicaTables,
  deleteReplicaTables,
  dynamoClient,
  GlobalTableReplicationOptions,
  startGlobalTableReplication,
} from '../../src/dynamodb';

/*
 * The semantics emulated are those of global tables version 2019.11.21 in multi-Region eventual consistency
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html): changes
 * replicate asynchronously, typically within a second; concurrent changes to one item are settled per item by
 * the latest internal timestamp ("last writer wins") and every replica converges on the last write; a
 * conditional write is evaluated against the item's version in its own Region; each replica's stream shows
 * the writes applied to it, replicated ones included.
 */
const POLL_MS = 25;
const A = 'us-east-1';
const B = 'eu-west-1';
const C = 'ap-southeast-2';
const THREE = [A, B, C];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

/** A fresh flag table in `regions` with replication running; stopped and deleted after the test. */
async function replicatedTable(
  label: string,
  regions: readonly string[],
  settings: Partial<Omit<GlobalTableReplicationOptions, 'regions' | 'tableName'>> = {},
) {
  const options = localDynamo();
  const tableName = uniqueTableName(label);
  await createReplicaTables({ ...options, regions, table: flagTableDefinition(tableName) });
  const clients = new Map(regions.map((region) => [region, dynamoClient(options, region)]));
  const replication = startGlobalTableReplication({
    ...options,
    tableName,
    regions,
    pollIntervalMs: POLL_MS,
    ...settings,
  });
  cleanups.push(async () => {
    await replication.stop();
    clients.forEach((client) => client.destroy());
    await deleteReplicaTables({ ...options, regions, tableName });
  });
  const client = (region: string) => clients.get(region)!;
  return {
    replication,
    put: (
      region: string,
      item: Record<string, AttributeValue>,
      condition?: Omit<ConditionalPut, 'TableName' | 'Item'>,
    ) => client(region).send(new PutItemCommand({ TableName: tableName, Item: item, ...condition })),
    remove: (region: string, pk: string) =>
      client(region).send(new DeleteItemCommand({ TableName: tableName, Key: key(pk) })),
    get: (region: string, pk: string) => getItem(options, region, tableName, pk),
    history: async (region: string, pk: string) => itemHistory(await streamRecords(options, region, tableName), pk),
  };
}

type ConditionalPut = ConstructorParameters<typeof PutItemCommand>[0];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `present` holds for the item, returning the ms it took. */
async function waitUntil(present: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!(await present())) {
    if (performance.now() - start > timeoutMs) throw new Error(`not replicated within ${timeoutMs} ms`);
    await sleep(5);
  }
  return performance.now() - start;
}

describe('replication: a write in one region reaches every replica', () => {
  test('asynchronously: absent elsewhere at first, then in every replica item and stream', async () => {
    const table = await replicatedTable('reach', THREE, { lagMs: 200 });
    await table.put(
      A,
      flagItem('reach', 1, { value: { M: { on: { BOOL: true }, services: { SS: ['cart', 'checkout'] } } } }),
    );
    expect(await table.get(B, 'reach')).toBeUndefined();

    await table.replication.settled();
    const written = await table.get(A, 'reach');
    for (const region of THREE) {
      expect(await table.get(region, 'reach')).toEqual(written);
      // Each region's stream shows the write once: its Lambda sees it too.
      expect(await table.history(region, 'reach')).toEqual(['INSERT 1']);
    }
    expect(table.replication.stats()).toMatchObject({ replicated: 2, droppedByLww: 0, echoesSkipped: 2 });
  });

  test('a delete replicates', async () => {
    const table = await replicatedTable('delete', THREE);
    await table.put(A, flagItem('gone', 1));
    await table.replication.settled();
    await table.remove(B, 'gone');
    await table.replication.settled();
    for (const region of THREE) {
      expect(await table.get(region, 'gone')).toBeUndefined();
      expect(await table.history(region, 'gone')).toEqual(['INSERT 1', 'REMOVE -']);
    }
  });

  test('replicated writes are not replicated again: after settling, nothing more happens', async () => {
    const table = await replicatedTable('echo', THREE);
    await table.put(A, flagItem('echo', 1));
    await table.put(C, flagItem('echo-2', 1));
    await table.replication.settled();
    const settled = table.replication.stats();
    expect(settled).toMatchObject({ replicated: 4, echoesSkipped: 4 });

    await sleep(20 * POLL_MS);
    expect(table.replication.stats()).toEqual(settled);
    for (const region of THREE) expect(await table.history(region, 'echo')).toEqual(['INSERT 1']);
  });
});

describe('replication: conditional writes see only their own replica', () => {
  test('attribute_not_exists and a version condition are evaluated against the local item', async () => {
    const table = await replicatedTable('condition', THREE, { lagMs: 1_000 });
    await table.put(A, flagItem('cond', 1));

    // Within the lag, B does not have the item: a create-if-absent succeeds there and fails in A.
    const createIfAbsent = { ConditionExpression: 'attribute_not_exists(pk)' };
    await expect(table.put(A, flagItem('cond', 1), createIfAbsent)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    await expect(table.put(B, flagItem('cond', 7), createIfAbsent)).resolves.toBeDefined();
    // The replicator times a write when its stream page arrives (DynamoDB Local's own timestamps are cut to the
    // minute), so writes closer than a poll and a request are concurrent and the region name decides. Keep
    // these two clearly apart: the later one must win.
    await sleep(300);

    // A version condition holds in A (version 1) and not in C, which has no item yet.
    const ifVersion1 = { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: '1' } } };
    await expect(table.put(C, flagItem('cond', 2), ifVersion1)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    await expect(table.put(A, flagItem('cond', 2), ifVersion1)).resolves.toBeDefined();

    // Then last writer wins: A's second write came after B's.
    await table.replication.settled();
    for (const region of THREE) expect(await table.get(region, 'cond')).toEqual(flagItem('cond', 2));
  });
});

describe('replication: last writer wins on the whole item', () => {
  test('two regions write within the lag: every replica converges on the later write, the earlier is dropped', async () => {
    const table = await replicatedTable('lww', THREE, { lagMs: 500 });
    await table.put(A, flagItem('race', 1, { fromA: { S: 'a' } }));
    await sleep(100);
    const later = flagItem('race', 2, { fromB: { S: 'b' } });
    await table.put(B, later);
    await table.replication.settled();

    // The whole item: A's attribute does not survive next to B's.
    for (const region of THREE) expect(await table.get(region, 'race')).toEqual(later);
    // A's write reached B after B's own, newer one: dropped there, silently (B's stream never shows it).
    expect(await table.history(B, 'race')).toEqual(['INSERT 2']);
    expect(await table.history(A, 'race')).toEqual(['INSERT 1', 'MODIFY 2']);
    expect(await table.history(C, 'race')).toEqual(['INSERT 1', 'MODIFY 2']);
    expect(table.replication.stats().droppedByLww).toBe(1);
  });

  test('equal timestamps go to the greater region name, whatever the order; one region keeps its own order', async () => {
    const table = await replicatedTable('tie', THREE, { lagMs: 300, clock: () => 1_000 });
    await table.put(A, flagItem('tie', 1)); // us-east-1 > eu-west-1 > ap-southeast-2
    await sleep(100);
    await table.put(C, flagItem('tie', 2));
    await table.put(B, flagItem('order', 1));
    await table.put(B, flagItem('order', 2));
    await table.replication.settled();

    for (const region of THREE) {
      expect(await table.get(region, 'tie')).toEqual(flagItem('tie', 1));
      expect(await table.get(region, 'order')).toEqual(flagItem('order', 2));
    }
    // C lost: its own replica is overwritten by the winner, as AWS does.
    expect(await table.history(C, 'tie')).toEqual(['INSERT 2', 'MODIFY 1']);
  });

  test('a local write the replication has not read yet wins over an older replicated write', async () => {
    // Slow polling opens a window between B's last read of its stream and A's write being applied to B.
    const poll = 1_500;
    const table = await replicatedTable('unseen', THREE, {
      pollIntervalMs: poll,
      lagMs: (_from, to) => (to === B ? 400 : 0),
    });
    await table.replication.settled();
    await table.put(A, flagItem('unseen', 1));
    await waitUntil(async () => (await table.get(C, 'unseen')) !== undefined, 2 * poll);
    await table.put(B, flagItem('unseen', 2)); // before A's write reaches B, and before B's next read
    await table.replication.settled();

    for (const region of THREE) expect(await table.get(region, 'unseen')).toEqual(flagItem('unseen', 2));
    expect(await table.history(B, 'unseen')).toEqual(['INSERT 2']);
    expect(table.replication.stats().droppedByLww).toBe(1);
  }, 15_000);
});

describe('replication: lag', () => {
  test('a replica 5 s behind gets the write after about 5 s; the others right away', async () => {
    const behind = 5_000;
    const table = await replicatedTable('behind', THREE, { lagMs: (_from, to) => (to === C ? behind : 0) });
    await table.put(A, flagItem('late', 1));
    const inB = await waitUntil(async () => (await table.get(B, 'late')) !== undefined, 1_000);
    const inC = await waitUntil(async () => (await table.get(C, 'late')) !== undefined, behind + 2_000);
    // Margins are wide for a loaded machine; what matters is seconds against milliseconds.
    expect(inB).toBeLessThan(1_000);
    expect(inB + inC).toBeGreaterThanOrEqual(behind);
    expect(inB + inC).toBeLessThan(behind + 1_000);
    await table.replication.settled();
    expect(table.replication.stats().maxLagMs).toBeGreaterThanOrEqual(behind);
  }, 15_000);

  test('12 regions: every write reaches all 11 other replicas', async () => {
    const lagMs = 50;
    const table = await replicatedTable('twelve', TWELVE_REGIONS, { lagMs });
    await table.replication.settled();
    const [origin, ...others] = TWELVE_REGIONS;
    const latencies: number[] = [];
    const writes: number[] = [];
    for (let write = 1; write <= 50; write++) {
      const pk = `w${write}`;
      const before = performance.now();
      await table.put(origin, flagItem(pk, write));
      const start = performance.now();
      writes.push(start - before);
      // Nothing can arrive within the lag: watch only after it, so the watching does not load the engine.
      await sleep(lagMs);
      const arrived = (region: string) => waitUntil(async () => (await table.get(region, pk)) !== undefined, 5_000);
      await Promise.all(others.map(arrived));
      latencies.push(performance.now() - start);
    }
    const replication = summarise(latencies);
    const write = summarise(writes);
    console.log(`11 replicas, lag ${lagMs} ms, poll ${POLL_MS} ms: ${JSON.stringify({ replication, write })}`);
    // Correctness here; speed is the benchmark's (a timed bound in a test fails on a loaded machine). The 5 s
    // bound of waitUntil above already fails a write that never arrives.
    await table.replication.settled();
    expect(table.replication.stats().replicated).toBeGreaterThanOrEqual(50 * others.length);
  }, 60_000);
});

describe('replication: replicas it cannot follow are reported, not waited for', () => {
  test('a missing replica makes settled() reject with what to do', async () => {
    const options = localDynamo();
    const tableName = uniqueTableName('missing');
    await createReplicaTables({ ...options, regions: [A], table: flagTableDefinition(tableName) });
    const replication = startGlobalTableReplication({ ...options, tableName, regions: [A, B] });
    cleanups.push(async () => {
      await replication.stop();
      await deleteReplicaTables({ ...options, regions: [A], tableName });
    });
    await expect(replication.settled()).rejects.toThrow(
      `cannot replicate table '${tableName}' in ${B}: no such table: create it first (createReplicaTables)`,
    );
  });

  test('a stream without the new image is refused as not emulated, through onError when given', async () => {
    const options = localDynamo();
    const tableName = uniqueTableName('keys-only');
    const table = { ...flagTableDefinition(tableName), streamViewType: 'KEYS_ONLY' as const };
    await createReplicaTables({ ...options, regions: [A, B], table });
    const errors: Error[] = [];
    const replication = startGlobalTableReplication({
      ...options,
      tableName,
      regions: [A, B],
      onError: (e) => errors.push(e),
    });
    cleanups.push(async () => {
      await replication.stop();
      await deleteReplicaTables({ ...options, regions: [A, B], tableName });
    });
    await replication.settled();
    expect(errors.map((e) => e.name)).toEqual(['NotEmulatedError', 'NotEmulatedError']);
    expect(errors[0].message).toContain('replication from a KEYS_ONLY stream is not emulated');
  });
});
