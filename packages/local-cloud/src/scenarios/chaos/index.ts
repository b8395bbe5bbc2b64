import { concurrentRegions } from './concurrent-regions';
import { ChaosChanges, ChaosContext, ChaosContextOptions } from './context';
import { doubleDetection } from './double-detection';
import { checkInvariants } from './invariants';
import { logsQuota } from './logs-quota';
import { opensearchDown } from './opensearch-down';
import { poisonRecord } from './poison-record';
import { redelivery } from './redelivery';
import { redisRestart } from './redis-restart';
import { replicationLag } from './replication-lag';
import { ChaosScenario, ScenarioCheck } from './scenario';
import { LocalCloudError } from '../../errors';
import { LocalStage } from '../../stage/local-stage';

export * from './context';
export * from './invariants';
export * from './scenario';

/** Every fault scenario, by name (`ffc local chaos NAME`). */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  concurrentRegions,
  doubleDetection,
  opensearchDown,
  redisRestart,
  redelivery,
  poisonRecord,
  replicationLag,
  logsQuota,
];

export interface ChaosResult {
  readonly scenario: string;
  readonly fault: string;
  readonly passed: boolean;
  /** The shared invariants, then the scenario's own checks. */
  readonly checks: readonly ScenarioCheck[];
  readonly numbers: Readonly<Record<string, number | string | null>>;
  readonly durationMs: number;
}

export function chaosScenario(name: string): ChaosScenario {
  const scenario = CHAOS_SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    throw new LocalCloudError(
      `no chaos scenario '${name}': choose from ${CHAOS_SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  return scenario;
}

/**
 * Runs scenarios one after another on one started stage (it needs `faultInjection`); each checks the
 * invariants over the flags it changed, so the scenarios do not disturb each other's verdicts.
 */
export async function runChaos(
  stage: LocalStage,
  names: readonly string[],
  changes: ChaosChanges,
  options: ChaosContextOptions = {},
): Promise<ChaosResult[]> {
  const scenarios = names.map(chaosScenario);
  const tooSmall = scenarios.filter((s) => s.minRegions > stage.regions.length);
  if (tooSmall.length) {
    throw new LocalCloudError(
      `${tooSmall.map((s) => s.name).join(', ')} need ${Math.max(...tooSmall.map((s) => s.minRegions))} regions: run with --regions 2 or more`,
    );
  }
  const ctx = new ChaosContext(stage, changes, options);
  const results: ChaosResult[] = [];
  try {
    for (const scenario of scenarios) {
      ctx.progress(`▶ ${scenario.name}: ${scenario.fault}`);
      const started = Date.now();
      let result: ChaosResult;
      try {
        const outcome = await scenario.run(ctx);
        const invariants = await checkInvariants(ctx, outcome.flagKeys, outcome.invariants);
        const checks = [...invariants.results, ...(outcome.checks ?? [])];
        result = {
          scenario: scenario.name,
          fault: scenario.fault,
          passed: checks.every((c) => c.passed),
          checks,
          numbers: {
            ...outcome.numbers,
            settled_ms: invariants.settledMs,
            audit_events: invariants.auditEvents,
            overwritten_by_last_writer: invariants.overwrittenByLastWriter,
          },
          durationMs: Date.now() - started,
        };
      } catch (error) {
        result = {
          scenario: scenario.name,
          fault: scenario.fault,
          passed: false,
          checks: [{ name: 'scenario ran', passed: false, detail: (error as Error).message }],
          numbers: {},
          durationMs: Date.now() - started,
        };
      }
      results.push(result);
      ctx.progress(`${result.passed ? '✔' : '✘'} ${scenario.name} (${result.durationMs} ms)`);
    }
  } finally {
    ctx.close();
  }
  return results;
}
