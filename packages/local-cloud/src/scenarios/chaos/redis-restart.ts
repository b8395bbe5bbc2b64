import { sleep } from './context';
import { ChaosScenario, check, verifiedFlag } from './scenario';

const RESTART_MS = 3_000;
const BATCH = 10;

/**
 * One region's Redis goes away mid-batch (every connection dropped, refused for 3 s, then back with its data,
 * as after a failover or a persisted restart): the cache updater, the readers and the checker reconnect.
 * The flags have a last known good, so a change wrongly judged inconsistent would show as a rollback.
 */
export const redisRestart: ChaosScenario = {
  name: 'redis-restart',
  fault: `one region's Redis restarted (down ${RESTART_MS / 1000} s) in the middle of a batch of ${BATCH} changes`,
  minRegions: 1,
  async run(ctx) {
    const region = ctx.regions[ctx.regions.length - 1];
    const flagKeys = await Promise.all(Array.from({ length: BATCH }, (_, i) => verifiedFlag(ctx, `redis${i}`)));
    const half = BATCH / 2;
    const first = await Promise.all(flagKeys.slice(0, half).map((f) => ctx.write(f, 2)));
    await sleep(300);
    const restart = ctx.stage.cutEngine({ redis: region }, RESTART_MS);
    const second = await Promise.all(flagKeys.slice(half).map((f) => ctx.write(f, 2)));
    await restart;
    const restartedAt = Date.now();
    await Promise.all([...first, ...second].map((w) => ctx.verified(w.flagKey, w.version)));
    return {
      flagKeys,
      checks: [check('every change verified in every region', true, `${BATCH} changes verified, ${region} included`)],
      numbers: { region, down_ms: RESTART_MS, verified_after_restart_ms: Date.now() - restartedAt },
    };
  },
};
