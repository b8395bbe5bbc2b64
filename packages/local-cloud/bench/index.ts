/**
 * The local cloud under load: change → every cache per hop, what the engines alone cost, sustained load and
 * a burst, on a stage of 12 regions × 156 services by default. The last line of output is one JSON object.
 *
 *   npx nx run local-cloud:bench [-- --regions 2 --changes 10 --sustained-seconds 10 --burst 20 --phase-seconds 300]
 *
 * Every phase is bounded in time: a change that does not reach every cache within its wait is counted as a
 * miss, a phase whose budget runs out stops early and says so, and a phase that fails is reported in the
 * JSON instead of ending the run without it.
 *
 * It runs a synthesised assembly (`--assembly`, default .engines/local-cloud/bench/cdk.out-<regions>, made
 * by `ffc local synth --stage bench --regions N`, again whenever an input is newer) on the engines of
 * `tools/engines up cloud`.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PutItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { connectRedis } from '@ffc/cache';
// The platform flag `ffc set` accepts. @ffc/rules is to become a devDependency (projen).
import { platformChange } from '@ffc/rules';
import { ensureEngines } from '@ffc/tools';
import {
  ChaosChanges,
  ChaosContext,
  ChaosWrite,
  LocalStage,
  StreamReader,
  createReplicaTables,
  deleteReplicaTables,
  dynamoClient,
  dynamoStreamsClient,
  percentile,
  resetAuditIndex,
  sleep,
  startGlobalTableReplication,
} from '../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const STAGE = 'bench';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const { values: args } = parseArgs({
  options: {
    regions: { type: 'string', default: '12' },
    changes: { type: 'string', default: '50' },
    'sustained-seconds': { type: 'string', default: '60' },
    rate: { type: 'string', default: '20' },
    burst: { type: 'string', default: '100' },
    'wait-scale': { type: 'string', default: '1' },
    'phase-seconds': { type: 'string', default: '300' },
    assembly: { type: 'string' },
  },
});
const REGIONS = Number(args.regions);
const CHANGES = Number(args.changes);
const SUSTAINED_S = Number(args['sustained-seconds']);
const RATE = Number(args.rate);
const BURST = Number(args.burst);
const DRAIN_MS = 120_000;
/** What one phase (sequential, sustained, burst) may spend, waits included. */
const PHASE_BUDGET_MS = Number(args['phase-seconds']) * 1000;

const changes: ChaosChanges = {
  valid: (flagKey, step) => ({
    ...platformChange(flagKey, 'Local cloud benchmark flag for every service'),
    value: step % 2 === 0,
    reason: `bench step ${step}`,
  }),
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const p = (values: number[], q: number) => percentile(values, q);

/** The q-percentile with `misses` ranked slower than every measured value: null when it lands on a miss. */
function percentileWithMisses(values: readonly number[], misses: number, q: number): number | null {
  const n = values.length + misses;
  const rank = Math.min(n - 1, Math.ceil(q * n) - 1);
  return rank < values.length ? [...values].sort((a, b) => a - b)[rank] : null;
}

async function main(): Promise<void> {
  const assemblyDirectory =
    args.assembly ?? path.join(REPO_ROOT, '.engines', 'local-cloud', STAGE, `cdk.out-${REGIONS}`);
  // `ffc local synth` keeps an assembly until an input (the app, the constructs, a handler bundle) is newer:
  // a kept assembly from before the last handler change would measure the old handlers.
  if (!args.assembly) {
    execFileSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'apps', 'cli', 'bin', 'ffc'),
        'local',
        'synth',
        '--stage',
        STAGE,
        '--regions',
        `${REGIONS}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const engines = ensureEngines(['cloud', 'opensearch']);
  await resetAuditIndex(engines.opensearchUrl, STAGE);
  const startedAt = Date.now();
  let stage: LocalStage;
  try {
    stage = await LocalStage.start({
      assemblyDirectory,
      stage: STAGE,
      waitScale: Number(args['wait-scale']),
      engines: {
        dynamodbEndpoint: engines.cloudDynamodbEndpoint,
        redisPorts: engines.cloudRedisPorts,
        opensearchUrl: engines.opensearchUrl,
      },
    });
  } catch (error) {
    // Nothing was measured, and the last line says so.
    process.stdout.write(
      `${JSON.stringify({ regions: REGIONS, phase_errors: { stage: (error as Error).message } })}\n`,
    );
    throw error;
  }
  const startMs = Date.now() - startedAt;
  const ctx = new ChaosContext(stage, changes, { settleTimeoutMs: DRAIN_MS, progress: log });
  const services = [...stage.services.values()].reduce((n, s) => n + s.length, 0);
  log(
    `stage up in ${startMs} ms: ${stage.regions.length} regions × ${stage.services.get(stage.primaryRegion)?.length} services`,
  );
  // A phase that fails is a result to report (phase_errors), never a reason to end the run without its JSON.
  const phaseErrors: Record<string, string> = {};
  const phase = async <T, F>(name: string, run: () => Promise<T>, instead: F): Promise<T | F> => {
    try {
      return await run();
    } catch (error) {
      log(`${name} failed: ${(error as Error).message}`);
      phaseErrors[name] = (error as Error).message;
      return instead;
    }
  };
  try {
    const sequential = await phase('sequential', () => measureSequential(ctx, services), {
      count: 0,
      misses: 0,
      stoppedEarly: null,
      p50: null,
      p99: null,
      hops: {},
    });
    log(
      `sequential: change → all caches p50 ${sequential.p50} ms, p99 ${sequential.p99} ms, ${sequential.misses} missed`,
    );
    const sustained = await phase('sustained', () => measureSustained(ctx, services), {
      changesPerS: null,
      lost: null,
      p50: null,
      p99: null,
      maxLogsQueries: null,
    });
    log(`sustained: ${sustained.changesPerS} changes/s, lost ${sustained.lost}`);
    const burst = await phase('burst', () => measureBurst(ctx), {
      verifiedMs: null,
      verified: 0,
      queriesStarted: null,
      maxLogsQueries: null,
      rolledBack: null,
    });
    log(`burst: ${burst.verifiedMs} ms`);
    // Last: creating and deleting its own replica tables on the same DynamoDB Local stopped the stage's own
    // replication (every later change reached only the primary region's caches). A reference, not the subject:
    // a failure to measure it is reported, the run goes on.
    const floor = await phase('floor', () => measureFloor(stage), {
      p50: null,
      parts: { stream_all_replicas_p50: null, redis_round_trip_p50: null },
    });
    log(`floor p50 ${floor.p50} ms`);
    const report = {
      regions: stage.regions.length,
      services_per_region: stage.services.get(stage.primaryRegion)?.length ?? 0,
      wait_scale: Number(args['wait-scale']),
      stage_start_ms: startMs,
      phase_budget_s: PHASE_BUDGET_MS / 1000,
      sequential_target_changes: CHANGES,
      sequential_changes: sequential.count,
      sequential_misses: sequential.misses,
      sequential_stopped_early: sequential.stoppedEarly,
      change_to_all_caches_p50_ms: sequential.p50,
      change_to_all_caches_p99_ms: sequential.p99,
      hops: sequential.hops,
      floor_ms: floor.p50,
      floor_parts_ms: floor.parts,
      ratio_to_floor: floor.p50 && sequential.p50 ? Number((sequential.p50 / floor.p50).toFixed(1)) : null,
      sustained_target_changes_per_s: RATE,
      sustained_changes_per_s: sustained.changesPerS,
      sustained_seconds: SUSTAINED_S,
      sustained_all_caches_p50_ms: sustained.p50,
      sustained_all_caches_p99_ms: sustained.p99,
      lost: sustained.lost,
      regressions: stage.observer.regressions.length,
      max_concurrent_logs_queries: sustained.maxLogsQueries,
      burst_changes: BURST,
      burst_all_verified_ms: burst.verifiedMs,
      burst_verified: burst.verified,
      burst_queries_started: burst.queriesStarted,
      burst_max_concurrent_logs_queries: burst.maxLogsQueries,
      burst_wrongly_rolled_back: burst.rolledBack,
      stage_errors: stage.observer.errors.length,
      // The first few distinct ones, so a run with misses says why.
      stage_error_samples: [
        ...new Set(stage.observer.errors.map((e) => `${e.where}: ${e.message}`.slice(0, 300))),
      ].slice(0, 3),
      phase_errors: phaseErrors,
    };
    printTable(report);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    ctx.close();
    await stage.stop();
  }
}

/**
 * The engines alone for one change: a DynamoDB Local write until it is in every replica's stream (replicated
 * by the same emulator, polled as often as the stage polls), then one Redis round trip per region, at once.
 */
async function measureFloor(stage: LocalStage) {
  const endpoint = stage.options.engines.dynamodbEndpoint;
  const local = { endpoint, credentials: CREDENTIALS };
  const tableName = `${STAGE}-floor`;
  const regions = stage.regions;
  await deleteReplicaTables({ ...local, regions, tableName });
  await createReplicaTables({
    ...local,
    regions,
    table: {
      tableName,
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      streamViewType: 'NEW_AND_OLD_IMAGES',
    },
  });
  const replication = startGlobalTableReplication({ ...local, tableName, regions, pollIntervalMs: 25 });
  const readers = await Promise.all(
    regions.map(async (region) => {
      const described = await dynamoClient(local, region).send(new DescribeTableCommand({ TableName: tableName }));
      return new StreamReader(dynamoStreamsClient(local, region), described.Table!.LatestStreamArn!);
    }),
  );
  const redis = regions.map((region) => connectRedis({ url: stage.redisUrl(region) } as never));
  const primary = dynamoClient(local, regions[0]);
  const totals: number[] = [];
  const streams: number[] = [];
  const rtts: number[] = [];
  try {
    // A stream just created can answer TrimmedDataAccessException until its shard settles: start past it.
    await sleep(1_000);
    for (const reader of readers) await reader.read();
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await primary.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: `floor-${i}` } } }));
      const seen = new Set<number>();
      while (seen.size < readers.length) {
        await Promise.all(
          readers.map(async (reader, r) => {
            if (seen.has(r)) return;
            const records = await reader.read();
            if (records.some((x) => x.dynamodb?.Keys?.pk?.S === `floor-${i}`)) seen.add(r);
          }),
        );
        if (seen.size < readers.length) await sleep(25);
      }
      const visible = performance.now();
      await Promise.all(redis.map((client) => client.set(`ffc-bench-floor:${i}`, '1', 'PX', 10_000)));
      const done = performance.now();
      streams.push(visible - started);
      rtts.push(done - visible);
      totals.push(done - started);
    }
  } finally {
    for (const client of redis) client.disconnect();
    await replication.stop();
    await deleteReplicaTables({ ...local, regions, tableName });
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    p50: round(p(totals, 0.5)),
    parts: { stream_all_replicas_p50: round(p(streams, 0.5)), redis_round_trip_p50: round(p(rtts, 0.5)) },
  };
}

type HopName = 'stream' | 'validation' | 'fanOut' | 'cacheApply' | 'verification' | 'consistency' | 'rollback';

/** One change at a time, each waited for in every cache; then one bad change, rolled back. */
async function measureSequential(ctx: ChaosContext, services: number) {
  const { stage } = ctx;
  const hops: Record<HopName, number[]> = {
    stream: [],
    validation: [],
    fanOut: [],
    cacheApply: [],
    verification: [],
    consistency: [],
    rollback: [],
  };
  const allCaches: number[] = [];
  const flags = Array.from({ length: 5 }, (_, i) => ctx.newFlag(`seq${i}`));
  const since = Date.now();
  const deadline = since + PHASE_BUDGET_MS;
  const remaining = (atLeastMs = 1) => Math.min(DRAIN_MS, Math.max(deadline - Date.now(), atLeastMs));
  const written: ChaosWrite[] = [];
  let misses = 0;
  let stoppedEarly: string | null = null;
  for (let i = 0; i < CHANGES; i++) {
    if (Date.now() >= deadline) {
      stoppedEarly = `the ${PHASE_BUDGET_MS / 1000} s phase budget ran out after ${i} of ${CHANGES} changes`;
      log(`  ${stoppedEarly}`);
      break;
    }
    const flagKey = flags[i % flags.length];
    const write = await ctx.write(flagKey, i);
    written.push(write);
    const timeline = stage.observer.timeline(flagKey, write.version);
    const waitMs = remaining();
    const reached = await stage.observer
      .waitFor(
        () => [...timeline.served.values()].reduce((n, m) => n + m.size, 0) === services,
        waitMs,
        `${flagKey} v${write.version} in every cache`,
      )
      .then(
        () => true,
        () => false,
      );
    if (reached) {
      const served = [...timeline.served.values()].flatMap((m) => [...m.values()]);
      allCaches.push(Math.max(...served) - write.writtenAt);
    } else {
      misses++;
      const short = stage.regions
        .map((r) => [r, ctx.services(r).length - (timeline.served.get(r)?.size ?? 0)] as const)
        .filter(([, missing]) => missing > 0);
      log(
        `  ${flagKey} v${write.version} not in every cache within ${waitMs} ms (a miss): ${short.map(([r, n]) => `${r} ${n} short`).join(', ')}`,
      );
    }
    if (i % 10 === 9) log(`  ${i + 1}/${CHANGES} sequential changes`);
  }
  await Promise.all(written.map((w) => ctx.verified(w.flagKey, w.version, remaining(10_000)).catch(() => undefined)));
  for (const w of written) {
    const t = stage.observer.timeline(w.flagKey, w.version);
    for (const region of stage.regions) {
      const delivered = t.streamDelivered.get(region);
      const published = t.published.get(region);
      const served = [...(t.served.get(region)?.values() ?? [])];
      if (delivered !== undefined) hops.stream.push(delivered - w.writtenAt);
      if (delivered !== undefined && published !== undefined) hops.validation.push(published - delivered);
      if (published !== undefined && served.length) {
        hops.fanOut.push(Math.min(...served) - published);
        hops.cacheApply.push(Math.max(...served) - Math.min(...served));
      }
      const verified = t.verified.get(region);
      if (published !== undefined && verified !== undefined) hops.verification.push(verified - published);
    }
  }
  // A bad change: one service of the last region never applies it; the rollback hop ends when every cache is back.
  const region = stage.regions[stage.regions.length - 1];
  const flagKey = flags[0];
  const bad = (await ctx.store(stage.primaryRegion).latestVersion(flagKey)) + 1;
  stage.faults.push({
    region,
    service: ctx.services(region)[0],
    matches: (m) => m.flagKey === flagKey && m.version === bad,
  });
  ctx.expectRollback(flagKey, bad);
  await ctx.write(flagKey, CHANGES);
  try {
    const rollback = await ctx.until(
      'the rollback',
      async () => {
        const history = await ctx.store(stage.primaryRegion).history(flagKey, { limit: 5 });
        return history.find((d) => d.kind === 'rollback' && d.rollbackOf === bad);
      },
      60_000,
    );
    const t = stage.observer.timeline(flagKey, rollback.version);
    await stage.observer.waitFor(
      () => [...t.served.values()].reduce((n, m) => n + m.size, 0) === services,
      DRAIN_MS,
      'the rollback in every cache',
    );
    const detected = stage.observer.invocations.find(
      (i) => i.functionName.endsWith('-rollback') && i.startedAt >= since,
    );
    if (detected) {
      hops.rollback.push(Math.max(...[...t.served.values()].flatMap((m) => [...m.values()])) - detected.startedAt);
    }
  } catch (error) {
    // A missed rollback is a result to report, not a reason to lose the rest of the run.
    log(`rollback not measured: ${(error as Error).message}`);
    for (const alert of stage.observer.alerts.slice(-3)) log(`  alert in ${alert.region}: ${alert.subject}`);
  }
  for (const i of stage.observer.invocations) {
    if (i.startedAt >= since && i.functionName.endsWith('-consistency-checker')) {
      hops.consistency.push(i.endedAt - i.startedAt);
    }
  }
  return {
    count: written.length,
    misses,
    stoppedEarly,
    p50: percentileWithMisses(allCaches, misses, 0.5),
    p99: percentileWithMisses(allCaches, misses, 0.99),
    hops: Object.fromEntries(
      Object.entries(hops).map(([hop, values]) => [
        hop,
        { p50_ms: p(values, 0.5), p99_ms: p(values, 0.99), n: values.length },
      ]),
    ),
  };
}

/** RATE changes a second for SUSTAINED_S seconds over many flags; then every change must reach every cache. */
async function measureSustained(ctx: ChaosContext, services: number) {
  const { stage } = ctx;
  const flags = Array.from({ length: Math.max(RATE * 5, 20) }, (_, i) => ctx.newFlag(`load${i}`));
  const busy = new Set<string>();
  const writes: { flagKey: string; version: number; writtenAt: number }[] = [];
  let failedWrites = 0;
  const started = Date.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; Date.now() - started < SUSTAINED_S * 1000; n++) {
    const due = started + (n * 1000) / RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    // A flag still being written is skipped: its next version needs the previous one in place.
    const flagKey = flags[n % flags.length];
    if (busy.has(flagKey)) continue;
    busy.add(flagKey);
    pending.push(
      ctx
        .write(flagKey, n)
        .then((w) => void writes.push(w))
        .catch(() => void failedWrites++)
        .finally(() => busy.delete(flagKey)),
    );
  }
  await Promise.all(pending);
  const elapsedS = (Date.now() - started) / 1000;
  const everywhere = (w: { flagKey: string; version: number }) =>
    [...stage.observer.timeline(w.flagKey, w.version).served.values()].reduce((n, m) => n + m.size, 0) === services;
  // Newer versions of a flag supersede older ones in a cache: a change is lost only if its flag's caches never reach it.
  const latest = new Map<string, (typeof writes)[number]>();
  for (const w of writes) if ((latest.get(w.flagKey)?.version ?? 0) < w.version) latest.set(w.flagKey, w);
  await stage.observer
    .waitFor(() => [...latest.values()].every(everywhere), DRAIN_MS, 'every flag in every cache')
    .catch(() => undefined);
  const lost = [...latest.values()].filter((w) => !everywhere(w)).length + failedWrites;
  const allCaches = writes
    .filter((w) => everywhere(w))
    .map(
      (w) =>
        Math.max(
          ...[...stage.observer.timeline(w.flagKey, w.version).served.values()].flatMap((m) => [...m.values()]),
        ) - w.writtenAt,
    );
  return {
    changesPerS: Number((writes.length / elapsedS).toFixed(1)),
    lost,
    p50: p(allCaches, 0.5),
    p99: p(allCaches, 0.99),
    maxLogsQueries: Math.max(...stage.regions.map((r) => stage.maxConcurrentLogsQueries(r))),
  };
}

/** BURST changes to BURST flags at once: time until every region verified every one of them. */
async function measureBurst(ctx: ChaosContext) {
  const { stage } = ctx;
  const flags = Array.from({ length: BURST }, (_, i) => ctx.newFlag(`burst${i}`));
  const queriesBefore = stage.regions.map((r) => stage.logsQueriesStarted(r));
  const started = Date.now();
  const writes = await Promise.all(flags.map((f) => ctx.write(f, 1)));
  const verified = await Promise.all(
    writes.map((w) =>
      ctx.verified(w.flagKey, w.version, Math.min(DRAIN_MS * 2, PHASE_BUDGET_MS)).then(
        () => true,
        () => false,
      ),
    ),
  );
  const verifiedMs = verified.every(Boolean) ? Date.now() - started : null;
  let rolledBack = 0;
  for (const flagKey of flags) {
    const history = await ctx.store(stage.primaryRegion).history(flagKey, { limit: 10 });
    rolledBack += history.filter((d) => d.kind === 'rollback').length;
  }
  return {
    verifiedMs,
    verified: verified.filter(Boolean).length,
    queriesStarted: stage.regions.reduce((n, r, i) => n + stage.logsQueriesStarted(r) - queriesBefore[i], 0),
    maxLogsQueries: Math.max(...stage.regions.map((r) => stage.maxConcurrentLogsQueries(r))),
    rolledBack,
  };
}

function printTable(
  report: Record<string, unknown> & {
    hops: Record<string, { p50_ms: number | null; p99_ms: number | null; n: number }>;
  },
): void {
  const ms = (v: unknown) => (v === null || v === undefined ? '-' : String(v)).padStart(8);
  const lines = [
    `local cloud benchmark: ${report.regions} regions × ${report.services_per_region} services, Wait states × ${report.wait_scale}`,
    `hop (ms)              p50      p99      n`,
    ...Object.entries(report.hops).map(
      ([hop, h]) => `${hop.padEnd(18)}${ms(h.p50_ms)} ${ms(h.p99_ms)} ${String(h.n).padStart(6)}`,
    ),
    `change → all caches${ms(report.change_to_all_caches_p50_ms)} ${ms(report.change_to_all_caches_p99_ms)}   (target 1000 / 3000)`,
    `floor (engines)   ${ms(report.floor_ms)}            ratio ${report.ratio_to_floor}`,
    `sustained         ${report.sustained_changes_per_s} changes/s for ${report.sustained_seconds} s (target ${report.sustained_target_changes_per_s}); lost ${report.lost}, regressions ${report.regressions}, max Logs Insights queries ${report.max_concurrent_logs_queries}`,
    `burst             ${report.burst_changes} flags verified in ${report.burst_all_verified_ms} ms; ${report.burst_queries_started} queries, max ${report.burst_max_concurrent_logs_queries} at once; ${report.burst_wrongly_rolled_back} rolled back`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
