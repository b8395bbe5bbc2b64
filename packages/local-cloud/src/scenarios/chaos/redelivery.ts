import { sleep } from './context';
import { ChaosScenario, check, verifiedFlag } from './scenario';

const DELAY_SECONDS = 3;

/**
 * At-least-once, unordered delivery at its worst: every fan-out message delivered twice in one region, an
 * older version overtaken by a newer one in another, and the stream records of both replayed.
 */
export const redelivery: ChaosScenario = {
  name: 'redelivery',
  fault: `duplicate SQS deliveries, v(n) held back ${DELAY_SECONDS} s behind v(n+1), stream records replayed`,
  minRegions: 2,
  async run(ctx) {
    const [a, b] = ctx.regions;
    const flagKey = await verifiedFlag(ctx, 'redeliver');
    const older = (await ctx.store(a).latestVersion(flagKey)) + 1;
    const faults = [
      ...ctx.services(a).map((service) => ({
        region: a,
        service,
        effect: 'duplicate' as const,
        matches: (m: { flagKey?: string }) => m.flagKey === flagKey,
      })),
      ...ctx.services(b).map((service) => ({
        region: b,
        service,
        effect: 'delay' as const,
        delaySeconds: DELAY_SECONDS,
        matches: (m: { flagKey?: string; version?: number }) => m.flagKey === flagKey && m.version === older,
      })),
    ];
    const streamFaults = ctx.regions.map((region) => ({
      region,
      effect: 'replay' as const,
      delayMs: 1_500,
      matches: (r: { dynamodb?: { Keys?: Record<string, { S?: string }> } }) =>
        r.dynamodb?.Keys?.pk?.S === `FLAG#${flagKey}`,
    }));
    ctx.stage.faults.push(...faults);
    ctx.stage.streamFaults.push(...streamFaults);
    try {
      await ctx.write(flagKey, 2);
      await sleep(200);
      const newer = await ctx.write(flagKey, 3);
      await ctx.verified(flagKey, newer.version);
      await sleep(DELAY_SECONDS * 1000 + 2_000);
    } finally {
      remove(ctx.stage.faults, faults);
      remove(ctx.stage.streamFaults, streamFaults);
    }
    const servedOlderInB = ctx
      .services(b)
      .filter((s) => ctx.stage.observer.timeline(flagKey, older).served.get(b)?.has(s));
    return {
      flagKeys: [flagKey],
      checks: [
        check(
          `v${older} overtaken in ${b}`,
          servedOlderInB.length < ctx.services(b).length,
          `${ctx.services(b).length - servedOlderInB.length} of ${ctx.services(b).length} services in ${b} never served v${older} (went straight to v${older + 1})`,
        ),
      ],
      numbers: { duplicated_services: ctx.services(a).length, delayed_services: ctx.services(b).length },
    };
  },
};

function remove<T>(list: T[], items: readonly T[]): void {
  for (const item of items) list.splice(list.indexOf(item), 1);
}
