import { sleep } from './context';
import { ChaosScenario, check } from './scenario';

const OUTAGE_MS = 30_000;
const BURST = 10;

/**
 * OpenSearch unreachable from the stage for 30 s (through the stage's proxy: the machine's OpenSearch keeps
 * serving everyone else) while a burst of changes is audited.
 */
export const opensearchDown: ChaosScenario = {
  name: 'opensearch-down',
  fault: `OpenSearch unreachable for ${OUTAGE_MS / 1000} s (its endpoint refuses connections) during a burst of ${BURST} changes`,
  minRegions: 1,
  async run(ctx) {
    const flagKeys = Array.from({ length: BURST }, (_, i) => ctx.newFlag(`audit${i}`));
    const outage = ctx.stage.cutEngine('opensearch', OUTAGE_MS);
    const started = Date.now();
    await sleep(500);
    const writes = await Promise.all(flagKeys.map((flagKey) => ctx.write(flagKey, 1)));
    await Promise.all(writes.map((w) => ctx.verified(w.flagKey, w.version, OUTAGE_MS + ctx.settleTimeoutMs)));
    const verifiedDuringOutage = Date.now() - started < OUTAGE_MS;
    await outage;
    return {
      flagKeys,
      checks: [
        check(
          'changes kept flowing while OpenSearch was down',
          verifiedDuringOutage,
          `${BURST} changes verified in every region ${verifiedDuringOutage ? 'during' : 'only after'} the outage`,
        ),
      ],
      numbers: { outage_ms: OUTAGE_MS, changes: BURST },
    };
  },
};
