/**
 * The local cloud under load: change → every cache per hop, what the engines alone cost, the highest sustained
 * rate the stage keeps up with, sustained load at a target rate and a burst, on a stage of 12 regions × 156
 * services by default. The last line of output is one JSON object.
 *
 *   npx nx run local-cloud:bench [-- --regions 2 --changes 10 --sustained-seconds 20 --burst 20 --phase-seconds 300]
 *
 * Phases, in this order: the floor (in the still quiet stage), sequential changes, a capacity search (short steps
 * of sustained load, each from an idle stage), sustained load at `--rate` drained until the stage is idle, and a
 * burst once it is idle again. Every phase and every wait is bounded: a change that does not reach every cache
 * within its wait is a miss, a phase whose budget runs out stops early and says so, and a phase that fails is
 * reported in the JSON instead of ending the run without it.
 *
 * It runs a synthesised assembly (`--assembly`, default .engines/local-cloud/bench/cdk.out-<regions>, made
 * by `ffc local synth --stage bench --regions N`, again whenever an input is newer; with `--assembly`, `--stage`
 * names the stage it was synthesised for) on the engines of `tools/engines up cloud`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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
  StageNotIdleError,
} from '../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
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
    'drain-window-seconds': { type: 'string', default: '120' },
    'idle-seconds': { type: 'string', default: '600' },
    'capacity-start-rate': { type: 'string', default: '2' },
    'capacity-step-seconds': { type: 'string', default: '20' },
    'capacity-seconds': { type: 'string', default: '360' },
    assembly: { type: 'string' },
    // The stage an --assembly was synthesised for: its names and cache keys carry it.
    stage: { type: 'string', default: 'bench' },
  },
});
const STAGE = args.stage;
const REGIONS = Number(args.regions);
const CHANGES = Number(args.changes);
const SUSTAINED_S = Number(args['sustained-seconds']);
const RATE = Number(args.rate);
const BURST = Number(args.burst);
/** How long one change may take to reach every cache (or every region's verification) before it is a miss. */
const CHANGE_WAIT_MS = 120_000;
/** What one phase (sequential, burst) may spend, waits included. */
const PHASE_BUDGET_MS = Number(args['phase-seconds']) * 1000;
/** After sustained load: a change applied later than this after the load ended is late (applied, but not lost). */
const DRAIN_WINDOW_MS = Number(args['drain-window-seconds']) * 1000;
/** The bound of every wait for the stage to be idle. */
const IDLE_MS = Number(args['idle-seconds']) * 1000;
const CAPACITY_START_RATE = Number(args['capacity-start-rate']);
const CAPACITY_STEP_S = Number(args['capacity-step-seconds']);
/** What the whole capacity search may spend, its steps' drains included. */
const CAPACITY_BUDGET_MS = Number(args['capacity-seconds']) * 1000;
/** Readers learn of a cache write by pub/sub: how long they may take once the stage is idle. */
const READER_GRACE_MS = 5_000;
/** How long the idle stage's CPU use is sampled. */
const QUIET_S = 10;
/** Where tools/engines keeps its pid files (its STATE). */
const ENGINES_STATE = process.env.FFC_ENGINES_STATE ?? '/var/tmp/ffc-engines';
/** The unit of CPU times in /proc (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

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
  const ctx = new ChaosContext(stage, changes, { settleTimeoutMs: CHANGE_WAIT_MS, progress: log });
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
    // What the stage costs doing nothing (its pollers): the baseline of every CPU figure below.
    const quiet = await phase('quiet', () => measureQuietCost(stage), null);
    // First, in the still quiet stage: a reference for what follows.
    const floor = await phase('floor', () => measureFloor(stage), {
      p50: null,
      parts: { stream_all_replicas_p50: null, redis_round_trip_p50: null },
    });
    log(`floor p50 ${floor.p50} ms`);
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
    const capacity = await phase('capacity', () => measureCapacity(ctx, services), {
      changesPerS: null,
      steps: [],
      stoppedEarly: null,
    });
    log(`capacity: ${capacity.changesPerS} changes/s kept up with`);
    const sustained = await phase('sustained', () => measureSustained(ctx, services), {
      changesPerS: null,
      failedWrites: null,
      lost: null,
      late: null,
      drainMs: null,
      notIdle: null,
      p50: null,
      p99: null,
      maxLogsQueries: null,
      cpu: null,
      busiestFunctions: [],
    });
    if (sustained.notIdle) phaseErrors.sustained_drain = sustained.notIdle;
    log(`sustained: ${sustained.changesPerS} changes/s, lost ${sustained.lost}, late ${sustained.late}`);
    const burst = await phase('burst', () => measureBurst(ctx), {
      idleWaitMs: null,
      verifiedMs: null,
      verified: 0,
      queriesStarted: null,
      maxLogsQueries: null,
      rolledBack: null,
    });
    log(`burst: ${burst.verifiedMs} ms`);
    const rollback = await phase('rollback', () => measureRollback(ctx, services), hopSummary([]));
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
      hops: { ...sequential.hops, rollback },
      floor_ms: floor.p50,
      floor_parts_ms: floor.parts,
      ratio_to_floor: floor.p50 && sequential.p50 ? Number((sequential.p50 / floor.p50).toFixed(1)) : null,
      sustained_capacity_changes_per_s: capacity.changesPerS,
      capacity_steps: capacity.steps,
      capacity_stopped_early: capacity.stoppedEarly,
      sustained_target_changes_per_s: RATE,
      sustained_changes_per_s: sustained.changesPerS,
      sustained_seconds: SUSTAINED_S,
      sustained_all_caches_p50_ms: sustained.p50,
      sustained_all_caches_p99_ms: sustained.p99,
      sustained_failed_writes: sustained.failedWrites,
      sustained_drain_ms: sustained.drainMs,
      drain_window_s: DRAIN_WINDOW_MS / 1000,
      lost: sustained.lost,
      late: sustained.late,
      regressions: stage.observer.regressions.length,
      max_concurrent_logs_queries: sustained.maxLogsQueries,
      busiest_functions: sustained.busiestFunctions,
      cpu_s: sustained.cpu,
      quiet_cpu_s: quiet,
      burst_changes: BURST,
      burst_idle_wait_ms: burst.idleWaitMs,
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
    // Each reader takes its iterator on the still empty stream, as the stage's readers did at its start.
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

type HopName = 'stream' | 'validation' | 'fanOut' | 'cacheApply' | 'verification' | 'consistency';

/** One change at a time, each waited for in every cache. */
async function measureSequential(ctx: ChaosContext, services: number) {
  const { stage } = ctx;
  const hops: Record<HopName, number[]> = {
    stream: [],
    validation: [],
    fanOut: [],
    cacheApply: [],
    verification: [],
    consistency: [],
  };
  const allCaches: number[] = [];
  const flags = Array.from({ length: 5 }, (_, i) => ctx.newFlag(`seq${i}`));
  const since = Date.now();
  const deadline = since + PHASE_BUDGET_MS;
  const remaining = (atLeastMs = 1) => Math.min(CHANGE_WAIT_MS, Math.max(deadline - Date.now(), atLeastMs));
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
    hops: Object.fromEntries(Object.entries(hops).map(([hop, values]) => [hop, hopSummary(values)])),
  };
}

const hopSummary = (values: number[]) => ({ p50_ms: p(values, 0.5), p99_ms: p(values, 0.99), n: values.length });

/**
 * Last, since the fault leaves its message to be retried after the queue's visibility timeout (120 s), which
 * keeps the stage from being idle: a verified change, then a bad one that one service of the last region never
 * applies. The hop runs from the rollback function's start until every cache serves the rollback.
 */
async function measureRollback(ctx: ChaosContext, services: number) {
  const { stage } = ctx;
  const values: number[] = [];
  const flagKey = ctx.newFlag('rollback');
  const good = await ctx.write(flagKey, 0);
  await ctx.verified(flagKey, good.version);
  const since = Date.now();
  const bad = good.version + 1;
  const region = stage.regions[stage.regions.length - 1];
  stage.faults.push({
    region,
    service: ctx.services(region)[0],
    matches: (m) => m.flagKey === flagKey && m.version === bad,
  });
  ctx.expectRollback(flagKey, bad);
  await ctx.write(flagKey, 1);
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
      CHANGE_WAIT_MS,
      'the rollback in every cache',
    );
    const detected = stage.observer.invocations.find(
      (i) => i.functionName.endsWith('-rollback') && i.startedAt >= since,
    );
    if (detected) {
      values.push(Math.max(...[...t.served.values()].flatMap((m) => [...m.values()])) - detected.startedAt);
    }
  } catch (error) {
    // A missed rollback is a result to report, not a reason to lose the rest of the run.
    log(`rollback not measured: ${(error as Error).message}`);
    for (const alert of stage.observer.alerts.slice(-3)) log(`  alert in ${alert.region}: ${alert.subject}`);
  }
  return hopSummary(values);
}

interface LoadWrite {
  readonly flagKey: string;
  readonly version: number;
  readonly writtenAt: number;
}

/** `rate` changes a second for `seconds` over many flags (one write at a time per flag); resolves once all are made. */
async function runLoad(ctx: ChaosContext, rate: number, seconds: number, label: string) {
  const flags = Array.from({ length: Math.max(Math.ceil(rate * 5), 20) }, (_, i) => ctx.newFlag(`${label}${i}`));
  const busy = new Set<string>();
  const writes: LoadWrite[] = [];
  let failedWrites = 0;
  const started = Date.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; Date.now() - started < seconds * 1000; n++) {
    const due = started + (n * 1000) / rate;
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
  const endedAt = Date.now();
  return {
    writes,
    failedWrites,
    endedAt,
    changesPerS: Number((writes.length / ((endedAt - started) / 1000)).toFixed(1)),
  };
}

/**
 * When each write was in every cache: every service serving its version or a newer one (a newer version
 * supersedes it in a cache, so a reader may skip it); undefined while some service serves neither.
 */
function appliedAt(
  stage: LocalStage,
  writes: readonly LoadWrite[],
  services: number,
): Map<LoadWrite, number | undefined> {
  const timelines = groupBy(stage.observer.versions(), (t) => t.flagKey);
  const applied = new Map<LoadWrite, number | undefined>();
  for (const [flagKey, flagWrites] of groupBy(writes, (w) => w.flagKey)) {
    const byVersion = new Map(flagWrites.map((w) => [w.version, w]));
    // region/service → when it first served this version or a newer one, merged from the newest version down.
    const earliest = new Map<string, number>();
    for (const t of (timelines.get(flagKey) ?? []).sort((a, b) => b.version - a.version)) {
      for (const [region, served] of t.served) {
        for (const [service, at] of served) {
          const key = `${region}/${service}`;
          earliest.set(key, Math.min(at, earliest.get(key) ?? Infinity));
        }
      }
      const write = byVersion.get(t.version);
      if (write) applied.set(write, earliest.size === services ? Math.max(...earliest.values()) : undefined);
    }
  }
  return applied;
}

/**
 * Waits until every write is in every cache, at most `timeoutMs`. Polled: checking at every observation would put
 * appliedAt on the main thread, the emulators' own, once per cache write.
 */
async function untilApplied(stage: LocalStage, writes: readonly LoadWrite[], services: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && [...appliedAt(stage, writes, services).values()].some((at) => at === undefined)) {
    await sleep(1000);
  }
}

/**
 * The highest rate the stage keeps up with: steps of CAPACITY_STEP_S seconds, each from an idle stage, doubling
 * the rate while it keeps up and then halving the interval between the fastest kept and the slowest lost.
 * A step keeps up when the writer made its rate, every change reached every cache within a minute of the load's
 * end, and change → all caches in the step's last third is at most 1.5 × (+ 1 s) its first third (a backlog grows).
 */
async function measureCapacity(ctx: ChaosContext, services: number) {
  const deadline = Date.now() + CAPACITY_BUDGET_MS;
  const steps: Record<string, number | boolean | null>[] = [];
  let fastestKept = 0;
  let slowestLost = Infinity;
  let rate = CAPACITY_START_RATE;
  let stoppedEarly: string | null = null;
  while (fastestKept === 0 || slowestLost - fastestKept > Math.max(0.5, fastestKept * 0.25)) {
    // A step needs its load, its changes' way to every cache and the drain before it.
    if (deadline - Date.now() < CAPACITY_STEP_S * 2000) {
      stoppedEarly = `the ${CAPACITY_BUDGET_MS / 1000} s capacity budget ran out after ${steps.length} steps`;
      break;
    }
    let idleMs: number;
    try {
      idleMs = await ctx.stage.idle(Math.min(IDLE_MS, Math.max(deadline - Date.now(), 1)));
    } catch (error) {
      if (!(error instanceof StageNotIdleError)) throw error;
      stoppedEarly = `step ${steps.length + 1} never started: ${error.message}`;
      break;
    }
    const load = await runLoad(ctx, rate, CAPACITY_STEP_S, `cap${steps.length}-`);
    await untilApplied(ctx.stage, load.writes, services, Math.min(60_000, deadline - Date.now()));
    const applied = appliedAt(ctx.stage, load.writes, services);
    const latencies = [...load.writes]
      .sort((a, b) => a.writtenAt - b.writtenAt)
      .map((w) => (applied.get(w) ?? Infinity) - w.writtenAt);
    const third = Math.max(1, Math.floor(latencies.length / 3));
    const first = p(latencies.slice(0, third), 0.5);
    const last = p(latencies.slice(-third), 0.5);
    const unapplied = latencies.filter((l) => l === Infinity).length;
    const keptUp =
      load.changesPerS >= 0.9 * rate &&
      unapplied === 0 &&
      first !== null &&
      last !== null &&
      last <= first * 1.5 + 1000;
    steps.push({
      target_per_s: rate,
      achieved_per_s: load.changesPerS,
      first_third_p50_ms: first === Infinity ? null : first,
      last_third_p50_ms: last === Infinity ? null : last,
      unapplied,
      idle_wait_ms: idleMs,
      kept_up: keptUp,
    });
    log(
      `  capacity: ${rate}/s → ${load.changesPerS}/s, p50 ${first} → ${last} ms, ${unapplied} not applied: ${keptUp ? 'kept up' : 'fell behind'}`,
    );
    if (keptUp) fastestKept = Math.max(fastestKept, rate);
    else slowestLost = Math.min(slowestLost, rate);
    if (!keptUp && rate < 0.5) break;
    rate = Number((slowestLost === Infinity ? rate * 2 : (fastestKept + slowestLost) / 2).toFixed(2));
  }
  return { changesPerS: fastestKept || null, steps, stoppedEarly };
}

/**
 * RATE changes a second for SUSTAINED_S seconds from an idle stage, then a drain until the stage is idle again
 * (at most IDLE_MS): a change is lost if it never reached every cache, late if it did only after DRAIN_WINDOW_MS.
 * CPU and the functions' invocations are sampled over load and drain.
 */
async function measureSustained(ctx: ChaosContext, services: number) {
  const { stage } = ctx;
  await stage.idle(IDLE_MS);
  const usage = startUsage(stage);
  const load = await runLoad(ctx, RATE, SUSTAINED_S, 'load');
  let drainMs: number | null = null;
  let notIdle: string | null = null;
  try {
    drainMs = await stage.idle(IDLE_MS);
  } catch (error) {
    if (!(error instanceof StageNotIdleError)) throw error;
    notIdle = error.message;
  }
  await untilApplied(stage, load.writes, services, READER_GRACE_MS);
  const used = usage.stop();
  const applied = appliedAt(stage, load.writes, services);
  const appliedTimes = load.writes.flatMap((w) =>
    applied.get(w) === undefined ? [] : [[w, applied.get(w)!] as const],
  );
  const allCaches = appliedTimes.map(([w, at]) => at - w.writtenAt);
  return {
    changesPerS: load.changesPerS,
    failedWrites: load.failedWrites,
    lost: load.writes.length - appliedTimes.length,
    late: appliedTimes.filter(([, at]) => at > load.endedAt + DRAIN_WINDOW_MS).length,
    drainMs,
    notIdle,
    p50: p(allCaches, 0.5),
    p99: p(allCaches, 0.99),
    maxLogsQueries: Math.max(...stage.regions.map((r) => stage.maxConcurrentLogsQueries(r))),
    ...used,
  };
}

/** CPU seconds over QUIET_S seconds of an idle stage. */
async function measureQuietCost(stage: LocalStage) {
  await stage.idle(IDLE_MS);
  const usage = startUsage(stage);
  await sleep(QUIET_S * 1000);
  return usage.stop().cpu;
}

/** CPU time per thread of this process (from /proc/self/task) and per engine process, in clock ticks. */
function cpuSample() {
  const ticks = (stat: string) => {
    // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const threads = new Map<string, { name: string; ticks: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    threads.set(tid, { name, ticks: ticks(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')) });
  }
  // An engine's pid may be a wrapper (OpenSearch runs under runuser): its descendants count too.
  const treeTicks = (pid: string): number =>
    ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')) +
    readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .reduce((n, child) => n + treeTicks(child), 0);
  const engines = new Map<string, number>();
  for (const file of readdirSync(ENGINES_STATE).filter((f) =>
    /^(cloud-dynamodb|cloud-redis-\d+|opensearch)\.pid$/.test(f),
  )) {
    try {
      engines.set(file.replace(/\.pid$/, ''), treeTicks(readFileSync(path.join(ENGINES_STATE, file), 'utf8').trim()));
    } catch {
      // A pid file of an engine that is not running: it used no CPU.
    }
  }
  return { at: performance.now(), threads, engines };
}

/** From now until stop(): CPU seconds by thread kind and engine, and the functions with the most time in invocations. */
function startUsage(stage: LocalStage) {
  const before = cpuSample();
  const firstInvocation = stage.observer.invocations.length;
  return {
    stop() {
      const after = cpuSample();
      const seconds = (t: number) => Number((t / CLOCK_TICKS_PER_S).toFixed(1));
      const threadDelta = (match: (name: string) => boolean) =>
        [...after.threads]
          .filter(([, t]) => match(t.name))
          .map(([tid, t]) => t.ticks - (before.threads.get(tid)?.ticks ?? 0));
      const engineDelta = (match: RegExp) =>
        [...after.engines]
          .filter(([name]) => match.test(name))
          .reduce((n, [name, t]) => n + t - (before.engines.get(name) ?? 0), 0);
      const workers = threadDelta((name) => name === 'WorkerThread');
      const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
      const invocations = groupBy(stage.observer.invocations.slice(firstInvocation), (i) => i.functionName);
      return {
        cpu: {
          wall_s: Number(((after.at - before.at) / 1000).toFixed(1)),
          main_thread_s: seconds(sum(threadDelta((name) => name === 'MainThread'))),
          function_workers_s: seconds(sum(workers)),
          busiest_worker_s: seconds(Math.max(0, ...workers)),
          node_gc_and_io_s: seconds(sum(threadDelta((name) => name !== 'MainThread' && name !== 'WorkerThread'))),
          dynamodb_local_s: seconds(engineDelta(/^cloud-dynamodb$/)),
          redis_s: seconds(engineDelta(/^cloud-redis-/)),
          opensearch_s: seconds(engineDelta(/^opensearch$/)),
        },
        busiestFunctions: [...invocations]
          .map(([name, calls]) => {
            const total = calls.reduce((n, i) => n + i.endedAt - i.startedAt, 0);
            return {
              function: name,
              invocations: calls.length,
              total_s: Number((total / 1000).toFixed(1)),
              mean_ms: Math.round(total / calls.length),
            };
          })
          .sort((a, b) => b.total_s - a.total_s)
          .slice(0, 5),
      };
    },
  };
}

/** Once the stage is idle, BURST changes to BURST flags at once: time until every region verified every one of them. */
async function measureBurst(ctx: ChaosContext) {
  const { stage } = ctx;
  // A burst on top of a backlog would measure the backlog.
  const idleWaitMs = await stage.idle(IDLE_MS);
  const flags = Array.from({ length: BURST }, (_, i) => ctx.newFlag(`burst${i}`));
  const queriesBefore = stage.regions.map((r) => stage.logsQueriesStarted(r));
  const started = Date.now();
  const writes = await Promise.all(flags.map((f) => ctx.write(f, 1)));
  const verified = await Promise.all(
    writes.map((w) =>
      ctx.verified(w.flagKey, w.version, Math.min(CHANGE_WAIT_MS * 2, PHASE_BUDGET_MS)).then(
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
    idleWaitMs,
    verifiedMs,
    verified: verified.filter(Boolean).length,
    queriesStarted: stage.regions.reduce((n, r, i) => n + stage.logsQueriesStarted(r) - queriesBefore[i], 0),
    maxLogsQueries: Math.max(...stage.regions.map((r) => stage.maxConcurrentLogsQueries(r))),
    rolledBack,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function printTable(
  report: Record<string, unknown> & {
    hops: Record<string, { p50_ms: number | null; p99_ms: number | null; n: number }>;
    capacity_steps: Record<string, unknown>[];
    cpu_s: Record<string, number> | null;
    quiet_cpu_s: Record<string, number> | null;
    busiest_functions: { function: string; invocations: number; total_s: number }[];
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
    `capacity          ${report.sustained_capacity_changes_per_s} changes/s kept up with (${report.capacity_steps.map((s) => `${s.target_per_s}/s ${s.kept_up ? 'ok' : 'behind'}`).join(', ')})`,
    `sustained         ${report.sustained_changes_per_s} changes/s for ${report.sustained_seconds} s (target ${report.sustained_target_changes_per_s}); drained in ${report.sustained_drain_ms} ms; lost ${report.lost}, late ${report.late} (> ${report.drain_window_s} s), regressions ${report.regressions}, max Logs Insights queries ${report.max_concurrent_logs_queries}`,
    `cpu idle (s)      ${Object.entries(report.quiet_cpu_s ?? {})
      .map(([k, v]) => `${k.replace(/_s$/, '')} ${v}`)
      .join(', ')}`,
    `cpu (s)           ${Object.entries(report.cpu_s ?? {})
      .map(([k, v]) => `${k.replace(/_s$/, '')} ${v}`)
      .join(', ')}`,
    `busiest functions ${report.busiest_functions.map((f) => `${f.function} ${f.total_s} s in ${f.invocations}`).join(', ')}`,
    `burst             ${report.burst_changes} flags verified in ${report.burst_all_verified_ms} ms; ${report.burst_queries_started} queries, max ${report.burst_max_concurrent_logs_queries} at once; ${report.burst_wrongly_rolled_back} rolled back`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
