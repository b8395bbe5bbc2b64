import { sleep } from './context';
import { ChaosScenario, check, rollbacksOf, verifiedFlag } from './scenario';

/** How long after the rollback the scenario watches for another one (a rollback loop). */
const QUIET_MS = 5_000;

/** Every region's verification finds the same bad change: their rollbacks race on the one flag item. */
export const doubleDetection: ChaosScenario = {
  name: 'double-detection',
  fault: 'one service in every region fails to apply a change, so every region detects the inconsistency at once',
  minRegions: 2,
  async run(ctx) {
    const flagKey = await verifiedFlag(ctx, 'double');
    const bad = (await ctx.store(ctx.stage.primaryRegion).latestVersion(flagKey)) + 1;
    for (const region of ctx.regions) {
      ctx.stage.faults.push({
        region,
        service: ctx.services(region)[0],
        matches: (m) => m.flagKey === flagKey && m.version === bad,
      });
    }
    ctx.expectRollback(flagKey, bad);
    const started = Date.now();
    await ctx.write(flagKey, 2);
    const rollback = await ctx.until('the rollback', async () => (await rollbacksOf(ctx, flagKey))[0]);
    const rolledBackMs = Date.now() - started;
    await ctx.verified(flagKey, rollback.version);
    await sleep(QUIET_MS);
    const rollbackRuns = ctx.stage.observer.invocations.filter(
      (i) =>
        i.functionName.endsWith('-rollback') && i.startedAt >= started && JSON.stringify(i.event).includes(flagKey),
    );
    const detectedIn = new Set(rollbackRuns.map((i) => i.region));
    const after = await rollbacksOf(ctx, flagKey);
    return {
      flagKeys: [flagKey],
      checks: [
        check(
          'detected in more than one region',
          detectedIn.size >= 2,
          `rollback invoked ${rollbackRuns.length} times in ${[...detectedIn].join(', ')}`,
        ),
        check(
          'no rollback loop',
          after.length === 1,
          `${after.length} rollback(s) ${QUIET_MS} ms after the first verified`,
        ),
      ],
      numbers: {
        rollback_invocations: rollbackRuns.length,
        regions_detecting: detectedIn.size,
        change_to_rollback_ms: rolledBackMs,
        final_version: rollback.version,
      },
    };
  },
};
