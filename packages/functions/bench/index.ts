import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LatencySummary, reportBenchmark, summarise } from '@ffc/tools';
import { BUNDLE_BUDGET_BYTES } from '../build-tools/handlers';

/**
 * Cold-start proxy: a fresh Node process that loads one bundled handler, against a bare `node -e 0`, on the
 * Node that runs this script (`npx nx run functions:bench` runs Node 24, the Lambda runtime's). Issue #12's gate:
 * the validator's load ≤ 60 ms over `node -e 0` (medians), every bundle ≤ 300 KB.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const VALIDATOR_LOAD_BUDGET_MS = 60;
const handlersDir = path.join(__dirname, '..', 'dist', 'handlers');
if (!fs.existsSync(handlersDir)) {
  throw new Error(`no bundles in ${handlersDir}: run \`npx nx run functions:compile\` first`);
}

interface Run {
  readonly wallMs: number;
  /** The child's own CPU time (user + system): far less sensitive than wall time to other load on the machine. */
  readonly cpuMs: number;
}

function runProcess(script: string): Run {
  const start = process.hrtime.bigint();
  const cpu = execFileSync(process.execPath, [
    '-e',
    `${script};const u=process.cpuUsage();process.stdout.write(String((u.user+u.system)/1000))`,
  ]);
  return { wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: Number(cpu.toString()) };
}

/** Runs the scripts in turn, RUNS times each, so a burst of load on a shared machine hits all of them alike. */
function sampleInterleaved(scripts: readonly string[]): { wall: LatencySummary; cpu: LatencySummary }[] {
  scripts.forEach(runProcess); // file-system cache warm-up
  const runs = scripts.map((): Run[] => []);
  for (let i = 0; i < RUNS; i++) scripts.forEach((script, s) => runs[s].push(runProcess(script)));
  return runs.map((r) => ({ wall: summarise(r.map((x) => x.wallMs)), cpu: summarise(r.map((x) => x.cpuMs)) }));
}

const rows: Record<string, LatencySummary> = {};
const figures: Record<string, number | string | boolean> = {
  node: process.version,
  runs: RUNS,
  load_average_1m: round(os.loadavg()[0]),
};
for (const name of fs.readdirSync(handlersDir).sort()) {
  const file = path.join(handlersDir, name, 'index.js');
  // The AWS SDK clients stay outside the bundle (Lambda provides them): their load time is a floor of its own.
  const sdkModules = [...new Set(fs.readFileSync(file, 'utf8').match(/@aws-sdk\/[a-z0-9-]+/g) ?? [])];
  const sdkScript =
    sdkModules
      .map((m) => `require(${JSON.stringify(require.resolve(m, { paths: [path.dirname(file)] }))})`)
      .join(';') || '0';
  const [baseline, load, sdk] = sampleInterleaved(['0', `require(${JSON.stringify(file)})`, sdkScript]);
  rows[`${name}: node -e 0`] = baseline.wall;
  rows[`${name}: load`] = load.wall;
  rows[`${name}: its AWS SDK clients alone`] = sdk.wall;
  const bytes = fs.statSync(file).size;
  figures[`${name}_kb`] = round(bytes / 1000);
  figures[`${name}_within_${BUNDLE_BUDGET_BYTES / 1000}kb`] = bytes <= BUNDLE_BUDGET_BYTES;
  figures[`${name}_load_p50_ms`] = round(load.wall.p50);
  figures[`${name}_load_p99_ms`] = round(load.wall.p99);
  figures[`${name}_load_over_baseline_ms`] = round(load.wall.p50 - baseline.wall.p50);
  figures[`${name}_load_over_baseline_p99_ms`] = round(load.wall.p99 - baseline.wall.p99);
  figures[`${name}_load_over_baseline_cpu_ms`] = round(load.cpu.p50 - baseline.cpu.p50);
  figures[`${name}_load_over_its_sdk_ms`] = round(load.wall.p50 - sdk.wall.p50);
}
figures.validator_load_within_budget = Number(figures.validator_load_over_baseline_ms) <= VALIDATOR_LOAD_BUDGET_MS;
reportBenchmark(`Lambda bundles: load time of a fresh process (${RUNS} runs each)`, rows, figures);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
