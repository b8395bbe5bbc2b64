import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CHAOS_SCENARIOS,
  ChaosChanges,
  ChaosResult,
  DemoReport,
  HOP_SLOS_MS,
  LocalStage,
  runChaos,
  runDemo,
} from '@ffc/local-cloud';
import { platformChange } from '@ffc/rules';
import { createFlagStore } from '@ffc/store';
import { Command, Option } from 'commander';
import type { CliIo } from '../io';
import {
  LocalStageState,
  REPO_ROOT,
  localStageDirectory,
  localStageStateFile,
  readLocalStageState,
  startLocalEngines,
} from '../local-stage';
import { setChange } from './set';

const INFRA = path.join(REPO_ROOT, 'apps', 'infra');

interface LocalOptions {
  readonly stage: string;
  readonly regions: number;
  readonly waitScale: number;
  /** A cloud assembly to run as it is, instead of synthesising one. */
  readonly assembly?: string;
}

/** Synthesises the stage with the CDK app exactly as `cdk synth` would (cdk.json context, then overrides). */
export function synthesiseStage(options: LocalOptions, io: CliIo): string {
  const outdir = path.join(localStageDirectory(options.stage), `cdk.out-${options.regions}`);
  const app = path.join(INFRA, 'lib', 'main.js');
  if (!fs.existsSync(app)) throw new Error(`${app} is missing: compile first (npx projen demo does)`);
  const manifest = path.join(outdir, 'manifest.json');
  // Re-synthesise when the app, the construct library or a handler bundle is newer than the assembly.
  const inputs = [
    path.join(INFRA, 'cdk.json'),
    ...filesUnder(path.join(INFRA, 'lib')),
    ...filesUnder(path.join(REPO_ROOT, 'packages', 'constructs', 'lib')),
    ...filesUnder(path.join(REPO_ROOT, 'packages', 'constructs', 'assets')),
  ];
  const newestInput = Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(manifest) && fs.statSync(manifest).mtimeMs > newestInput) return outdir;
  const cdkJson = JSON.parse(fs.readFileSync(path.join(INFRA, 'cdk.json'), 'utf8')) as {
    context: { regions: string[] };
  };
  // The CDK CLI sets these two by default; the local cloud reads nested stacks and bundles from asset metadata.
  const context = {
    ...cdkJson.context,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:enable-path-metadata': true,
    stage: options.stage,
    regions: cdkJson.context.regions.slice(0, options.regions),
  };
  io.err(
    `synthesising stage '${options.stage}' (${context.regions.length} regions) into ${path.relative(process.cwd(), outdir)}\n`,
  );
  fs.rmSync(outdir, { recursive: true, force: true });
  execFileSync(process.execPath, [app], {
    cwd: INFRA,
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_DEFAULT_ACCOUNT: '000000000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return outdir;
}

/** Starts the engines and the stage, as `ffc local up` and `ffc demo` do. */
export async function startLocalStage(
  options: LocalOptions,
  io: CliIo,
  extra: { faultInjection?: boolean } = {},
): Promise<LocalStage> {
  const assemblyDirectory = options.assembly ? path.resolve(options.assembly) : synthesiseStage(options, io);
  const engines = startLocalEngines(['cloud', 'opensearch']);
  io.err('starting the local stage (functions, queues, topics, event buses, state machines, services)\n');
  return LocalStage.start({
    assemblyDirectory,
    stage: options.stage,
    waitScale: options.waitScale,
    ...extra,
    engines: {
      dynamodbEndpoint: engines.cloudDynamodbEndpoint,
      redisPorts: engines.cloudRedisPorts,
      opensearchUrl: engines.opensearchUrl,
    },
  });
}

function stageOptions(command: Command, defaultStage = 'local'): Command {
  return command
    .option('--stage <name>', 'stage name', defaultStage)
    .addOption(new Option('--regions <n>', 'how many of the configured regions').default(12).argParser(Number))
    .addOption(
      new Option('--wait-scale <x>', "scale the state machine's Wait states (1 = as synthesised)")
        .default(1)
        .argParser(Number),
    )
    .option(
      '--assembly <dir>',
      'run this synthesised cloud assembly (cdk.out) as it is, instead of synthesising the stage',
    );
}

const DEMO_FLAG_DESCRIPTION = 'Local cloud demo flag for every service';

/** The chaos scenarios' changes: platform flags for every service, turned on and off step by step. */
export const chaosChanges: ChaosChanges = {
  valid: (flagKey, step) => ({
    ...platformChange(flagKey, DEMO_FLAG_DESCRIPTION),
    value: step % 2 === 0,
    reason: `chaos step ${step}`,
  }),
};

/** The demo's changes: a flag of the platform team, on for every service. */
function demoWriters(stage: LocalStage, stageName: string) {
  const client = DynamoDBDocumentClient.from(stage.dynamo(stage.primaryRegion), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = createFlagStore({ client, tableName: stage.tableName });
  const flagKey = `platform-demo-${Date.now().toString(36)}`;
  const base = () => platformChange(flagKey, DEMO_FLAG_DESCRIPTION);
  return {
    flagKey,
    // Created off, then turned on: every step is an ordinary change in a test stage's policy.
    validChange: (step: number) => ({ ...base(), value: step % 2 === 0, reason: `demo step ${step}` }),
    invalidChange: () => ({ ...base(), stage: stageName, kind: 'change', value: 'not a boolean' }),
    set: async (change: Record<string, unknown>) => {
      try {
        const written = await setChange(store, change, 'demo change', { stage: stageName });
        return { version: written.version, correlationId: written.correlationId };
      } catch (error) {
        const violations = (error as { violations?: { ruleId: string }[] }).violations ?? [];
        throw new Error(
          `${(error as Error).message}${violations.length ? ` (${violations.map((v) => v.ruleId).join(', ')})` : ''}`,
        );
      }
    },
  };
}

export function formatReport(report: DemoReport): string {
  const rows = Object.entries(report.hops).map(([hop, h]) => {
    const verdict = h.p99_ms === null ? 'n/a' : h.p99_ms <= h.slo_ms ? 'ok' : 'MISSED';
    const ms = (v: number | null) => (v === null ? '-' : String(v));
    return `${hop.padEnd(13)} ${ms(h.p50_ms).padStart(7)} ${ms(h.p99_ms).padStart(7)} ${String(h.slo_ms).padStart(7)}  ${verdict}`;
  });
  return [
    ...report.scenarios.map((s) => `${s.passed ? 'PASS' : 'FAIL'}  ${s.name}\n      ${s.observed}`),
    '',
    `hop (ms)         p50     p99     SLO   (${report.regions} regions × ${report.services_per_region} services, Wait states × ${report.wait_scale})`,
    ...rows,
    `change → all caches: ${report.change_to_all_caches_ms ?? '-'} ms`,
  ].join('\n');
}

export function formatChaos(results: readonly ChaosResult[]): string {
  return results
    .map((r) =>
      [
        `${r.passed ? 'PASS' : 'FAIL'}  ${r.scenario} (${(r.durationMs / 1000).toFixed(1)} s): ${r.fault}`,
        ...r.checks.map((c) => `      ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
        `      ${Object.entries(r.numbers)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      ].join('\n'),
    )
    .join('\n');
}

export function registerLocalCommands(program: Command, io: CliIo): void {
  stageOptions(program.command('demo'))
    .description(
      `Bring a local stage up and run the three scenarios: a valid change, an invalid one, a failing service (SLOs: ${Object.keys(HOP_SLOS_MS).join(', ')})`,
    )
    .option('--json', 'print the report as one JSON object on the last line')
    .addOption(new Option('--timeout <s>', 'seconds each scenario may take').default(60).argParser(Number))
    .action(async (options: LocalOptions & { json?: boolean; timeout: number }) => {
      const stage = await startLocalStage(options, io);
      try {
        const report = await runDemo(stage, demoWriters(stage, options.stage), {
          progress: (line) => io.err(`${line}\n`),
          timeoutMs: options.timeout * 1000,
        });
        io.out(`${formatReport(report)}\n`);
        if (options.json) io.out(`${JSON.stringify(report)}\n`);
        if (report.scenarios.some((s) => !s.passed)) {
          process.exitCode = 1;
          // What the stage saw, so a failed scenario can be explained without rerunning it.
          for (const t of stage.observer.versions()) {
            const served = [...t.served].map(([region, services]) => `${region} ${services.size}`).join(', ');
            io.err(
              `${t.flagKey} v${t.version}: validated in [${[...t.streamDelivered.keys()]}], published in [${[...t.published.keys()]}], served by ${served || 'none'}, verified in [${[...t.verified.keys()]}]\n`,
            );
          }
          for (const alert of stage.observer.alerts) {
            io.err(`alert in ${alert.region}: ${alert.subject} ${alert.message.slice(0, 500)}\n`);
          }
          for (const error of stage.observer.errors.slice(-10)) io.err(`error at ${error.where}: ${error.message}\n`);
          const tail = stage.observer.invocations.filter((i) => /rollback|consistency/.test(i.functionName)).slice(-6);
          for (const i of tail) {
            io.err(`invoked ${i.region} ${i.functionName}: ${JSON.stringify(i.event).slice(0, 300)}\n`);
          }
        }
      } finally {
        await stage.stop();
      }
    });

  const local = program.command('local').description('Run a synthesised stage on this machine');
  stageOptions(local.command('synth'))
    .description('Synthesise the stage into a cloud assembly (kept until an input changes) and print its directory')
    .action((options: LocalOptions) => void io.out(`${synthesiseStage(options, io)}\n`));
  stageOptions(local.command('chaos'), 'chaos')
    .description(
      'Start a local stage, inject faults while changes flow and check the invariants over every replica, cache and the audit history',
    )
    .argument('<scenario...>', `one or more of: ${CHAOS_SCENARIOS.map((s) => s.name).join(', ')}, or all`)
    .option('--json', 'print the results as one JSON object on the last line')
    .addOption(
      new Option('--settle-timeout <s>', 'seconds replicas, caches and audit may take to agree')
        .default(60)
        .argParser(Number),
    )
    .action(async (names: string[], options: LocalOptions & { json?: boolean; settleTimeout: number }) => {
      const scenarios = names.includes('all') ? CHAOS_SCENARIOS.map((s) => s.name) : names;
      const stage = await startLocalStage(options, io, { faultInjection: true });
      try {
        const results = await runChaos(stage, scenarios, chaosChanges, {
          progress: (line) => io.err(`${line}\n`),
          settleTimeoutMs: options.settleTimeout * 1000,
        });
        io.out(`${formatChaos(results)}\n`);
        if (options.json) io.out(`${JSON.stringify({ regions: stage.regions.length, results })}\n`);
        if (results.some((r) => !r.passed)) {
          process.exitCode = 1;
          // What the stage saw, so a failed scenario can be explained without rerunning it.
          for (const error of stage.observer.errors.slice(-10)) io.err(`error at ${error.where}: ${error.message}\n`);
          for (const alert of stage.observer.alerts.slice(-5)) {
            io.err(`alert in ${alert.region}: ${alert.subject} ${alert.message.slice(0, 300)}\n`);
          }
          for (const queue of stage.queues.all().filter((q) => !q.name.includes('-fanout-'))) {
            const counts = queue.counts();
            if (counts.visible + counts.inFlight + counts.delayed > 0) {
              io.err(`queue ${queue.arn.split(':')[3]}/${queue.name}: ${JSON.stringify(counts)}\n`);
            }
          }
        }
      } finally {
        await stage.stop();
      }
    });
  stageOptions(local.command('up'))
    .description('Start the local stage in the background (idempotent); ffc set/history/timeline then work against it')
    .action(async (options: LocalOptions) => {
      const state = readLocalStageState(options.stage);
      if (state && alive(state.pid)) return void io.out(`stage '${options.stage}' is already up (pid ${state.pid})\n`);
      synthesiseStage(options, io);
      const log = fs.openSync(path.join(localStageDirectory(options.stage), 'local.log'), 'a');
      const child = spawn(
        process.execPath,
        [
          path.join(__dirname, '..', '..', 'bin', 'ffc'),
          'local',
          'run',
          '--stage',
          options.stage,
          '--regions',
          String(options.regions),
          '--wait-scale',
          String(options.waitScale),
        ],
        {
          detached: true,
          stdio: ['ignore', log, log],
        },
      );
      child.unref();
      const deadline = Date.now() + 180_000;
      while (!readLocalStageState(options.stage)?.ready) {
        if (!alive(child.pid!)) {
          throw new Error(
            `the local stage exited during start-up: see ${path.join(localStageDirectory(options.stage), 'local.log')}`,
          );
        }
        if (Date.now() > deadline) throw new Error('the local stage did not start within 180 s');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      io.out(
        `stage '${options.stage}' is up (pid ${child.pid}); export FFC_DYNAMODB_ENDPOINT=${readLocalStageState(options.stage)!.dynamodbEndpoint} AWS_REGION=${readLocalStageState(options.stage)!.primaryRegion}\n`,
      );
    });
  stageOptions(local.command('run', { hidden: true })).action(async (options: LocalOptions) => {
    const stage = await startLocalStage(options, io);
    const file = localStageStateFile(options.stage);
    fs.writeFileSync(
      file,
      JSON.stringify({
        pid: process.pid,
        ready: true,
        primaryRegion: stage.primaryRegion,
        regions: stage.regions,
        dynamodbEndpoint: stage.options.engines.dynamodbEndpoint,
      } satisfies LocalStageState),
    );
    const stop = () => void stage.stop().finally(() => (fs.rmSync(file, { force: true }), process.exit(0)));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  local
    .command('status')
    .description('Is the local stage up? exit 0 if so')
    .option('--stage <name>', 'stage name', 'local')
    .action((options: { stage: string }) => {
      const state = readLocalStageState(options.stage);
      if (!state || !alive(state.pid)) {
        io.out(`stage '${options.stage}' is down\n`);
        process.exitCode = 1;
        return;
      }
      io.out(`stage '${options.stage}' is up (pid ${state.pid}), regions ${state.regions.join(', ')}\n`);
    });
  local
    .command('down')
    .description('Stop the local stage this command started (the engines stay up: tools/engines down cloud)')
    .option('--stage <name>', 'stage name', 'local')
    .action(async (options: { stage: string }) => {
      const state = readLocalStageState(options.stage);
      if (!state || !alive(state.pid)) return void io.out(`stage '${options.stage}' was not running\n`);
      process.kill(state.pid, 'SIGTERM');
      while (alive(state.pid)) await new Promise((resolve) => setTimeout(resolve, 100));
      io.out(`stage '${options.stage}' stopped\n`);
    });
}

function filesUnder(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
