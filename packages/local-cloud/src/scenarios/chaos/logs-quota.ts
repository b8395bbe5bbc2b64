import { ChaosScenario, check } from './scenario';

const HOLD_MS = 10_000;
const BURST = 10;
/** The Logs Insights quota per account and region. */
const QUOTA = 30;

/** Every Logs Insights slot of one region taken by other queries while a burst of changes needs verifying. */
export const logsQuota: ChaosScenario = {
  name: 'logs-quota',
  fault: `Logs Insights at its ${QUOTA}-query quota in one region for ${HOLD_MS / 1000} s during a burst of ${BURST} changes`,
  minRegions: 1,
  async run(ctx) {
    const region = ctx.stage.primaryRegion;
    const flagKeys = Array.from({ length: BURST }, (_, i) => ctx.newFlag(`quota${i}`));
    const release = ctx.stage.occupyLogsQueries(region, QUOTA);
    const started = Date.now();
    let released = 0;
    try {
      const writes = await Promise.all(flagKeys.map((f) => ctx.write(f, 1)));
      setTimeout(() => {
        release();
        released = Date.now();
      }, HOLD_MS).unref();
      await Promise.all(writes.map((w) => ctx.verified(w.flagKey, w.version, HOLD_MS + ctx.settleTimeoutMs)));
    } finally {
      release();
    }
    const verifiedHere = flagKeys.map((f) => ctx.stage.observer.timeline(f, 1).verified.get(region)!);
    const waited = verifiedHere.every((t) => t >= started + HOLD_MS);
    const max = ctx.stage.maxConcurrentLogsQueries(region);
    return {
      flagKeys,
      checks: [
        check(
          'verifications queued while the quota was taken, then finished',
          waited,
          `${BURST} verified in ${region} ${Math.max(...verifiedHere) - (released || started)} ms after the quota freed`,
        ),
        check(`at most ${QUOTA} queries at once`, max <= QUOTA, `${max} at most (the ${QUOTA} held slots included)`),
      ],
      numbers: { held_ms: HOLD_MS, max_concurrent_logs_queries: max },
    };
  },
};
