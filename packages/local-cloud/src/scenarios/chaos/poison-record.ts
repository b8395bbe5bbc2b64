import { ChaosScenario, check } from './scenario';
import type { StreamInvocationRecord } from '../../lambda/stream-event-source';

const NEIGHBOURS = 4;

/**
 * A stream record the validator dies on (as on one that exhausts its memory) among ordinary changes: Lambda
 * bisects the batch until the record is alone, retries it, then sends it to the on-failure destination.
 */
export const poisonRecord: ChaosScenario = {
  name: 'poison-record',
  fault: `one stream record crashes the validator in one region, written among ${NEIGHBOURS} other changes`,
  minRegions: 1,
  async run(ctx) {
    const region = ctx.stage.primaryRegion;
    const poison = ctx.newFlag('poison');
    const neighbours = Array.from({ length: NEIGHBOURS }, (_, i) => ctx.newFlag(`beside${i}`));
    const fault = {
      region,
      effect: 'crash' as const,
      matches: (r: { dynamodb?: { Keys?: Record<string, { S?: string }> } }) =>
        r.dynamodb?.Keys?.pk?.S === `FLAG#${poison}`,
    };
    ctx.stage.streamFaults.push(fault);
    const failures = ctx.stage.queues
      .all()
      .find((q) => q.name === `${ctx.stage.options.stage}-validator-failures` && q.arn.split(':')[3] === region);
    if (!failures) throw new Error(`the stage has no validator failure destination in ${region}`);
    const before = failures.counts().visible;
    const started = Date.now();
    try {
      const writes = await Promise.all(
        [neighbours[0], neighbours[1], poison, neighbours[2], neighbours[3]].map((f) => ctx.write(f, 1)),
      );
      await Promise.all(writes.filter((w) => w.flagKey !== poison).map((w) => ctx.verified(w.flagKey, w.version)));
      await ctx.until('the poison record at the failure destination', async () =>
        failures.counts().visible > before ? true : undefined,
      );
    } finally {
      ctx.stage.streamFaults.splice(ctx.stage.streamFaults.indexOf(fault), 1);
    }
    const neighboursMs = Date.now() - started;
    const message = failures
      .receive({ maxNumberOfMessages: 10 })
      .map((m) => JSON.parse(m.body) as StreamInvocationRecord);
    const discarded = message.find((m) => m.requestContext.approximateInvokeCount > 0);
    const batch = discarded?.DDBStreamBatchInfo;
    const crashes = ctx.stage.observer.invocations.filter(
      (i) =>
        i.region === region &&
        i.functionName.endsWith('-validator') &&
        i.startedAt >= started &&
        i.startedAt === i.endedAt,
    ).length;
    const publishedHere = ctx.stage.observer.timeline(poison, 1).published.has(region);
    return {
      flagKeys: [poison, ...neighbours],
      // The poison never reached this region's caches: that is the fault, and the failure destination holds it.
      invariants: { skipCache: (r, flagKey) => r === region && flagKey === poison },
      checks: [
        check(
          'bisected to the one record at the failure destination',
          batch?.batchSize === 1 && discarded?.requestContext.condition === 'RetryAttemptsExhausted',
          `invocation record: ${batch?.batchSize} record(s), ${discarded?.requestContext.condition}, ${discarded?.requestContext.approximateInvokeCount} invocations`,
        ),
        check(
          'the records around it still flow',
          true,
          `${NEIGHBOURS} neighbours verified everywhere in ${neighboursMs} ms`,
        ),
        check(
          'nothing published for the poison record here',
          !publishedHere,
          `${poison} v1 ${publishedHere ? 'was' : 'not'} published in ${region}`,
        ),
        check(
          'the operator is told',
          crashes > 0,
          `${crashes} failed validator invocations (the synthesised alarm "validator failed" on Errors > 0) and the invocation record in ${failures.name}`,
        ),
      ],
      numbers: { crashed_invocations: crashes, neighbours_verified_ms: neighboursMs },
    };
  },
};
