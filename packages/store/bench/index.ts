import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureEngines, LatencySummary, measure, reportBenchmark, summarise } from '@ffc/tools';
import { createFlagStore, createFlagTable, deleteFlagTable, FlagDocument, FlagStore } from '../src';
import { REGIONS } from '../test/local-table';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const WARMUP = 30;

function document(flagKey: string, version: number): FlagDocument {
  return {
    flagKey,
    version,
    type: 'string',
    value: `value-${version}`,
    services: ['checkout', 'payments'],
    changedBy: 'bench',
  };
}

/** Times only `timed`, after an untimed `prepare` each iteration (a rollback needs a fresh bad version first). */
async function measureWithSetup(
  prepare: () => Promise<unknown>,
  timed: () => Promise<unknown>,
): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    await prepare();
    const start = process.hrtime.bigint();
    await timed();
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(samples);
}

async function main(): Promise<void> {
  const { dynamodbEndpoint } = ensureEngines(['dynamodb']);
  const client = new DynamoDBClient({
    endpoint: dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documentClient = DynamoDBDocumentClient.from(client);
  const tableName = `bench-${randomBytes(4).toString('hex')}-flags`;
  await createFlagTable(client, tableName);
  const store: FlagStore = createFlagStore({ client: documentClient, tableName });
  try {
    let version = 0;
    const baseline = await measure(
      ITERATIONS,
      () =>
        documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: 'FLAG#baseline', sk: 'CURRENT', version: ++version, document: document('baseline', version) },
          }),
        ),
      WARMUP,
    );

    let putVersion = 0;
    const put = await measure(
      ITERATIONS,
      async () => {
        putVersion = (await store.put(document('bench-put', putVersion + 1), { expectedVersion: putVersion })).version;
      },
      WARMUP,
    );

    const first = await store.put(document('bench-restore', 1), { expectedVersion: 0 });
    let restoreVersion = (await store.put(document('bench-restore', 2), { expectedVersion: 1 })).version;
    const restore = await measure(
      ITERATIONS,
      async () => {
        const result = await store.restore('bench-restore', { rejectedVersion: restoreVersion, previous: first });
        if (result.outcome !== 'restored') throw new Error(`restore ${restoreVersion}: ${result.outcome}`);
        restoreVersion = result.document.version;
      },
      WARMUP,
    );

    await store.put(document('bench-rollback', 1), { expectedVersion: 0 });
    await Promise.all(REGIONS.map((region) => store.recordVerification('bench-rollback', region, 1)));
    let rollbackVersion = 1;
    const putBadVersion = async () => {
      rollbackVersion = (
        await store.put(document('bench-rollback', rollbackVersion + 1), { expectedVersion: rollbackVersion })
      ).version;
    };
    const rollback = await measureWithSetup(putBadVersion, async () => {
      const result = await store.rollback('bench-rollback', { badVersion: rollbackVersion, regions: REGIONS });
      if (result.outcome !== 'rolled-back') throw new Error(`rollback ${rollbackVersion}: ${result.outcome}`);
      rollbackVersion = result.document.version;
    });
    const rollbackRace = await measureWithSetup(putBadVersion, async () => {
      const results = await Promise.all(
        REGIONS.map(() => store.rollback('bench-rollback', { badVersion: rollbackVersion, regions: REGIONS })),
      );
      if (results.filter((result) => result.outcome === 'rolled-back').length !== 1) {
        throw new Error('a race did not collapse into one rollback');
      }
      rollbackVersion += 1;
    });

    reportBenchmark(
      `@ffc/store against DynamoDB Local (${ITERATIONS} iterations each)`,
      {
        'baseline: unconditional PutItem': baseline,
        'put (CURRENT + history)': put,
        restore,
        'rollback (reads + write)': rollback,
        'rollback, 12 racing (wall clock)': rollbackRace,
      },
      {
        iterations: ITERATIONS,
        baselinePutP50Ms: round(baseline.p50),
        baselinePutP99Ms: round(baseline.p99),
        putP50Ms: round(put.p50),
        putP99Ms: round(put.p99),
        restoreP50Ms: round(restore.p50),
        restoreP99Ms: round(restore.p99),
        rollbackP50Ms: round(rollback.p50),
        rollbackP99Ms: round(rollback.p99),
        rollbackRace12P50Ms: round(rollbackRace.p50),
        rollbackRace12P99Ms: round(rollbackRace.p99),
      },
    );
  } finally {
    await deleteFlagTable(client, tableName);
    client.destroy();
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
