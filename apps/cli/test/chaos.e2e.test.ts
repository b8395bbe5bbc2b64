import { CHAOS_SCENARIOS, ChaosResult } from '@ffc/local-cloud';
import { ffc } from './support/run-cli';

/**
 * `ffc local chaos` on one local stage of 2 regions × 156 services (Wait states × 0.2): every fault scenario
 * of issue 15, each checked by the shared invariants (every replica, every cache, the audit history) and its
 * own checks. One stage for all of them keeps the file within CI's few minutes.
 */
const SCENARIOS = CHAOS_SCENARIOS.map((s) => s.name);

describe('ffc local chaos: faults while changes flow, on a local stage of 2 regions', () => {
  let results: ChaosResult[] = [];
  let run: Awaited<ReturnType<typeof ffc>>;

  beforeAll(async () => {
    run = await ffc(
      'local',
      'chaos',
      ...SCENARIOS,
      '--regions',
      '2',
      '--wait-scale',
      '0.2',
      '--settle-timeout',
      '45',
      '--json',
    );
    results = (JSON.parse(run.out.trim().split('\n').pop()!) as { results: ChaosResult[] }).results;
  }, 600_000);

  it('runs the scenarios asked for, in that order, out of the eight the suite knows', () => {
    expect(results.map((r) => r.scenario)).toEqual(SCENARIOS);
    expect(CHAOS_SCENARIOS.map((s) => s.name)).toEqual([
      'concurrent-regions',
      'double-detection',
      'opensearch-down',
      'redis-restart',
      'redelivery',
      'poison-record',
      'replication-lag',
      'logs-quota',
    ]);
  });

  it.each(SCENARIOS)('%s: the system survives the fault, every invariant holds', (name) => {
    const result = results.find((r) => r.scenario === name)!;
    // Each check by name, so a failure says which invariant broke and what was seen.
    const failed = result.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
    expect(failed).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'replicas converge',
        'every cache serves the current version',
        'no lost change',
        'no version served after a newer one',
        'one effective rollback per bad change',
        'audit events neither lost nor duplicated',
      ]),
    );
  });

  it('concurrent-regions: both regions accepted the version; the losing region published the winner too', () => {
    const result = results.find((r) => r.scenario === 'concurrent-regions')!;
    expect(result.numbers.version).toBe(2);
    expect(result.numbers.overwritten_by_last_writer).toBe(1);
    expect(result.checks.find((c) => c.name === 'the audit shows both writes and which won')?.detail).toMatch(
      /published the winner/,
    );
  });

  it('redis-restart: the restarted region verified every change without a rollback', () => {
    const result = results.find((r) => r.scenario === 'redis-restart')!;
    expect(result.checks.find((c) => c.name === 'one effective rollback per bad change')?.detail).toMatch(
      /^0 rollback/,
    );
    expect(result.numbers.verified_after_restart_ms).toBeLessThan(45_000);
  });

  it('double-detection: both regions detected it, one rollback landed', () => {
    const result = results.find((r) => r.scenario === 'double-detection')!;
    expect(result.numbers.regions_detecting).toBe(2);
    expect(result.numbers.final_version).toBe(3);
  });

  it('logs-quota: never more than the 30 queries AWS allows per region', () => {
    const result = results.find((r) => r.scenario === 'logs-quota')!;
    expect(result.numbers.max_concurrent_logs_queries).toBeLessThanOrEqual(30);
  });

  it('exits 0 only when every scenario passed', () => {
    expect(run.exitCode).toBe(results.every((r) => r.passed) ? 0 : 1);
  });
});
