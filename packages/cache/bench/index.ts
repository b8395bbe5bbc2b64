import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ensureEngines, LatencySummary, reportBenchmark, measure, summarise } from '@ffc/tools';
import { InMemoryProvider } from '@openfeature/server-sdk';
import {
  compileFlag,
  CompiledFlag,
  connectRedis,
  createFlagCache,
  createFlagReader,
  EvaluationSpec,
  rolloutBucket,
  ROLLOUT_BUCKETS,
  StructuredLogger,
} from '../src';
import { chiSquaredUniform } from '../test/support/chi-squared';

const SERVICES = Array.from({ length: 156 }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`);
const silent: StructuredLogger = { info: () => undefined, warn: () => undefined };

/** A flag with 10 targeting rules (every operator family) and a 50 % rollout: what services evaluate per request. */
const TARGETED: EvaluationSpec = {
  type: 'boolean',
  value: true,
  rollout: { percentage: 50 },
  targeting: [
    { attribute: 'country', operator: 'in', values: ['DE', 'AT', 'CH', 'NL', 'BE'] },
    { attribute: 'plan', operator: 'notIn', values: ['free'] },
    { attribute: 'platform', operator: 'in', values: ['ios', 'android', 'web'] },
    { attribute: 'tenantId', operator: 'startsWith', values: ['acme-'] },
    { attribute: 'segment', operator: 'contains', values: ['beta'] },
    { attribute: 'language', operator: 'matches', values: ['^(de|nl)(-[A-Z]{2})?$'] },
    { attribute: 'accountAgeDays', operator: 'gte', values: [30] },
    { attribute: 'accountAgeDays', operator: 'lt', values: [3650] },
    { attribute: 'appVersion', operator: 'semverGte', values: ['4.2.0'] },
    { attribute: 'osVersion', operator: 'semverLt', values: ['99.0.0'] },
  ],
};
const CONTEXTS = Array.from({ length: 1024 }, (_, i) => ({
  targetingKey: `user-${i}`,
  country: 'DE',
  plan: 'pro',
  platform: 'ios',
  tenantId: 'acme-eu',
  segment: 'beta-testers',
  language: 'de-AT',
  accountAgeDays: 400,
  appVersion: '4.3.1',
  osVersion: '17.2.0',
}));
type BenchContext = (typeof CONTEXTS)[number];

/** The same decision written as the InMemoryProvider's contextEvaluator, bucketing with the same hash. */
function equivalentEvaluator(ctx: Partial<BenchContext>): 'on' | 'off' {
  const matches =
    ['DE', 'AT', 'CH', 'NL', 'BE'].includes(ctx.country ?? '') &&
    ctx.plan !== undefined &&
    !['free'].includes(ctx.plan) &&
    ['ios', 'android', 'web'].includes(ctx.platform ?? '') &&
    (ctx.tenantId ?? '').startsWith('acme-') &&
    (ctx.segment ?? '').includes('beta') &&
    /^(de|nl)(-[A-Z]{2})?$/.test(ctx.language ?? '') &&
    (ctx.accountAgeDays ?? -1) >= 30 &&
    (ctx.accountAgeDays ?? Infinity) < 3650 &&
    (ctx.appVersion ?? '') >= '4.2.0' &&
    (ctx.osVersion ?? '') < '99.0.0';
  return matches && rolloutBucket('bench-targeted', ctx.targetingKey ?? '') < 5000 ? 'on' : 'off';
}

/** Per-call latency of a sub-microsecond call: batches of 100 calls, each batch's time divided by 100. */
async function perCall(batches: number, call: (i: number) => unknown, warmupMs = 1500): Promise<LatencySummary> {
  const until = Date.now() + warmupMs;
  for (let i = 0; Date.now() < until; i++) await call(i);
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) await call(b * 100 + i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6 / 100);
  }
  return summarise(samples);
}

/** Heap held by 1,000 compiled flags like the benchmark's (after a full GC before and after). */
function memoryOf1000Flags(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const flags = new Map<string, CompiledFlag>();
  for (let i = 0; i < 1000; i++) flags.set(`flag-${i}`, compileFlag(`flag-${i}`, JSON.parse(JSON.stringify(TARGETED))));
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (flags.size !== 1000) throw new Error('unreachable: keeps the map alive until measured');
  return bytes;
}

function bucketUniformity(): number {
  const counts = new Array<number>(100).fill(0);
  for (let i = 0; i < 100_000; i++) {
    counts[Math.floor(rolloutBucket('checkout-redesign', `user-${i}`) / (ROLLOUT_BUCKETS / 100))]++;
  }
  return chiSquaredUniform(counts).p;
}

async function main(): Promise<void> {
  const { redisUrl } = ensureEngines(['redis']);
  const redis = connectRedis({ url: redisUrl });
  await redis.connect();
  const stage = `bench-${randomBytes(4).toString('hex')}`;
  const cache = createFlagCache({ redis, stage });
  const reader = createFlagReader({ redis, stage, service: SERVICES[0], region: 'bench', logger: silent });
  await reader.start();
  let version = 0;
  const change = () => ({
    flagKey: 'bench-flag',
    version: ++version,
    type: 'boolean' as const,
    value: version % 2 === 0,
  });

  try {
    const rows: Record<string, LatencySummary> = {};
    // Baseline: what a naive updater does, one awaited SET per service.
    rows.apply156_sequential = await measure(300, async () => {
      const value = String(++version);
      for (const service of SERVICES) await redis.set(`ffc:{${stage}}:baseline:${service}`, value);
    });
    rows.apply156 = await measure(3000, () => cache.apply(change(), SERVICES), 300);
    rows.apply156_duplicate = await measure(1000, () =>
      cache.apply({ flagKey: 'bench-flag', version, type: 'boolean', value: true }, SERVICES),
    );
    rows.reader_propagation = await measure(1000, async () => {
      const next = change();
      const seen = new Promise<void>((resolve) => {
        const stop = reader.subscribe((event) => {
          if (event.type === 'changed' && event.entries.some((entry) => entry.version === next.version)) {
            stop();
            resolve();
          }
        });
      });
      await cache.apply(next, SERVICES);
      await seen;
    });

    // Evaluation: warm, in process, no I/O.
    const flag = compileFlag('bench-targeted', TARGETED);
    const none = () => undefined;
    let on = 0;
    rows.evaluate = await perCall(20_000, (i) => {
      if (flag.evaluate(CONTEXTS[i % 1024], none).value === true) on++;
    });
    const inMemory = new InMemoryProvider({
      'bench-targeted': {
        variants: { on: true, off: false },
        defaultVariant: 'off',
        disabled: false,
        contextEvaluator: equivalentEvaluator,
      },
    });
    rows.inmemory_provider = await perCall(5_000, (i) =>
      inMemory.resolveBooleanEvaluation('bench-targeted', false, CONTEXTS[i % 1024]),
    );
    const chi2P = bucketUniformity();
    const memoryBytes = memoryOf1000Flags();
    const us = (ms: number) => Number((ms * 1000).toFixed(4));
    if (on === 0) throw new Error('the benchmark flag served nobody: its contexts do not match its targeting');

    const speedup = rows.apply156_sequential.p50 / rows.apply156.p50;
    const round = (value: number) => Number(value.toFixed(4));
    reportBenchmark('cache: one flag change to the 156 services of a region (local Redis)', rows, {
      apply156_p50_ms: round(rows.apply156.p50),
      apply156_p99_ms: round(rows.apply156.p99),
      apply156_sequential_p50_ms: round(rows.apply156_sequential.p50),
      apply156_sequential_p99_ms: round(rows.apply156_sequential.p99),
      apply156_speedup_p50: round(speedup),
      apply156_duplicate_p50_ms: round(rows.apply156_duplicate.p50),
      reader_propagation_p50_ms: round(rows.reader_propagation.p50),
      reader_propagation_p99_ms: round(rows.reader_propagation.p99),
      evaluate_p50_us: us(rows.evaluate.p50),
      evaluate_p99_us: us(rows.evaluate.p99),
      inmemory_provider_p50_us: us(rows.inmemory_provider.p50),
      inmemory_provider_p99_us: us(rows.inmemory_provider.p99),
      bucket_chi2_p: Number(chi2P.toFixed(4)),
      memory_1000_flags_bytes: memoryBytes,
      target_evaluate_p50_met: rows.evaluate.p50 * 1000 <= 1,
      target_not_slower_than_inmemory_met: rows.evaluate.p50 <= rows.inmemory_provider.p50,
      target_apply156_p50_met: rows.apply156.p50 <= 1,
      target_apply156_p99_met: rows.apply156.p99 <= 5,
      target_speedup_met: speedup >= 8,
      target_reader_propagation_p99_met: rows.reader_propagation.p99 <= 5,
    });
  } finally {
    await reader.close();
    await cache.clear();
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
