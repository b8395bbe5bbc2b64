import { ChaosScenario, auditEventsOf, check, verifiedFlag } from './scenario';

const LAG_MS = 5_000;

/** One region's replica 5 s behind: its verification must wait for the change, not judge the old version. */
export const replicationLag: ChaosScenario = {
  name: 'replication-lag',
  fault: `one region's replica ${LAG_MS / 1000} s behind the others`,
  minRegions: 2,
  async run(ctx) {
    const behind = ctx.regions[ctx.regions.length - 1];
    const flagKey = await verifiedFlag(ctx, 'lag');
    ctx.stage.replicaDelayMs.set(behind, LAG_MS);
    let write;
    try {
      write = await ctx.write(flagKey, 2);
      await ctx.verified(flagKey, write.version, LAG_MS + ctx.settleTimeoutMs);
    } finally {
      ctx.stage.replicaDelayMs.delete(behind);
    }
    const timeline = ctx.stage.observer.timeline(flagKey, write.version);
    const verifiedBehindMs = timeline.verified.get(behind)! - write.writtenAt;
    const inconsistent = auditEventsOf(ctx, flagKey).filter((e) => e.type === 'change.inconsistent');
    return {
      flagKeys: [flagKey],
      checks: [
        check(
          `verification in ${behind} waited for the change`,
          verifiedBehindMs >= LAG_MS,
          `verified there ${verifiedBehindMs} ms after the write (lag ${LAG_MS} ms)`,
        ),
        check(
          'no inconsistency reported',
          inconsistent.length === 0,
          `${inconsistent.length} change.inconsistent events`,
        ),
      ],
      numbers: { lag_ms: LAG_MS, verified_in_lagging_region_ms: verifiedBehindMs },
    };
  },
};
