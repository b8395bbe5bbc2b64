import { ChaosScenario, auditEventsOf, check, verifiedFlag } from './scenario';

const LAG_MS = 1_500;

/** Last-writer-wins across regions: two writes of the same version, each accepted by its own replica. */
export const concurrentRegions: ChaosScenario = {
  name: 'concurrent-regions',
  fault: `the same flag changed in two regions at once, within a ${LAG_MS} ms replication lag`,
  minRegions: 2,
  async run(ctx) {
    const [a, b] = ctx.regions;
    const flagKey = await verifiedFlag(ctx, 'lww');
    ctx.stage.replicaDelayMs.set(a, LAG_MS).set(b, LAG_MS);
    let writes;
    try {
      // Different values, so a cache holding the losing write is told apart from one holding the winner.
      writes = await Promise.all([ctx.write(flagKey, 2, a), ctx.write(flagKey, 3, b)]);
    } finally {
      ctx.stage.replicaDelayMs.delete(a);
      ctx.stage.replicaDelayMs.delete(b);
    }
    const current = await ctx.until('the replicas to agree', async () => {
      const docs = await Promise.all(ctx.regions.map((r) => ctx.store(r).get(flagKey)));
      return docs.every((d) => d?.correlationId === docs[0]?.correlationId) ? docs[0]! : undefined;
    });
    const winner = writes.find((w) => w.correlationId === current.correlationId);
    const loser = writes.find((w) => w !== winner);
    await ctx.verified(flagKey, writes[0].version);
    const published = auditEventsOf(ctx, flagKey).filter((e) => e.type === 'change.published');
    const audited = new Set(published.map((e) => e.correlationId));
    const bothAudited = writes.every((w) => audited.has(w.correlationId));
    // Which won: the losing region publishes the winning write too, replacing its own in its caches.
    const replacedInLosingRegion = published.some(
      (e) => e.region === loser?.region && e.correlationId === winner?.correlationId,
    );
    return {
      flagKeys: [flagKey],
      checks: [
        check(
          'both writes accepted at the same version',
          writes[0].version === writes[1].version,
          `v${writes[0].version} in ${a} and ${b}`,
        ),
        check(
          'the audit shows both writes and which won',
          bothAudited && replacedInLosingRegion,
          `published: ${writes.map((w) => `${w.region}'s ${audited.has(w.correlationId) ? 'yes' : 'no'}`).join(', ')}; table holds ${winner ? `${winner.region}'s write` : 'neither write'}; ${loser?.region ?? 'the losing region'} ${replacedInLosingRegion ? 'published' : 'did not publish'} the winner`,
        ),
      ],
      numbers: { version: writes[0].version, winner: winner?.region ?? null },
    };
  },
};
