import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reportBenchmark, summarise } from '@ffc/tools';

/** Cold-start proxy: a fresh Node process that loads one bundled handler, against a bare `node -e 0`. */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const handlersDir = path.join(__dirname, '..', 'dist', 'handlers');
if (!fs.existsSync(handlersDir)) {
  throw new Error(`no bundles in ${handlersDir}: run \`npx nx run functions:compile\` first`);
}

function timeProcess(script: string): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', script]);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function sample(script: string) {
  timeProcess(script); // file-system cache warm-up
  return summarise(Array.from({ length: RUNS }, () => timeProcess(script)));
}

const baseline = sample('0');
const rows: Record<string, ReturnType<typeof summarise>> = { 'node -e 0 (baseline)': baseline };
const figures: Record<string, number> = { baseline_p50_ms: round(baseline.p50) };
for (const name of fs.readdirSync(handlersDir).sort()) {
  const file = path.join(handlersDir, name, 'index.js');
  const load = sample(`require(${JSON.stringify(file)})`);
  // The AWS SDK clients stay outside the bundle (Lambda provides them): their load time is a floor of its own.
  const sdkModules = [...new Set(fs.readFileSync(file, 'utf8').match(/@aws-sdk\/[a-z0-9-]+/g) ?? [])];
  const sdk = sample(
    sdkModules
      .map((m) => `require(${JSON.stringify(require.resolve(m, { paths: [path.dirname(file)] }))})`)
      .join(';') || '0',
  );
  rows[`load ${name}`] = load;
  rows[`${name}: its AWS SDK clients alone`] = sdk;
  figures[`${name}_kb`] = round(fs.statSync(file).size / 1024);
  figures[`${name}_load_p50_ms`] = round(load.p50);
  figures[`${name}_load_over_baseline_ms`] = round(load.p50 - baseline.p50);
  figures[`${name}_load_over_its_sdk_ms`] = round(load.p50 - sdk.p50);
}
figures.validator_within_300kb = Number(figures.validator_kb <= 300);
reportBenchmark(`Lambda bundles: load time of a fresh process (${RUNS} runs each)`, rows, figures);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
