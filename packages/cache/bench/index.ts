import { randomBytes } from 'node:crypto';
import { ensureEngines, LatencySummary, measure, reportBenchmark } from '@ffc/tools';
import { connectRedis, createFlagCache, createFlagReader, StructuredLogger } from '../src';

const SERVICES = Array.from({ length: 156 }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`);
const silent: StructuredLogger = { info: () => undefined, warn: () => undefined };

async function main(): Promise<void> {
  const { redisUrl } = ensureEngines(['redis']);
  const redis = connectRedis({ url: redisUrl });
  await redis.connect();
  const stage = `bench-${randomBytes(4).toString('hex')}`;
  const cache = createFlagCache({ redis, stage });
  const reader = createFlagReader({ redis, stage, service: SERVICES[0], region: 'bench', logger: silent });
  await reader.start();
  let version = 0;
  const change = () => ({
    flagKey: 'bench-flag',
    version: ++version,
    type: 'boolean' as const,
    value: version % 2 === 0,
  });

  try {
    const rows: Record<string, LatencySummary> = {};
    // Baseline: what a naive updater does, one awaited SET per service.
    rows.apply156_sequential = await measure(300, async () => {
      const value = String(++version);
      for (const service of SERVICES) await redis.set(`ffc:{${stage}}:baseline:${service}`, value);
    });
    rows.apply156 = await measure(3000, () => cache.apply(change(), SERVICES), 300);
    rows.apply156_duplicate = await measure(1000, () =>
      cache.apply({ flagKey: 'bench-flag', version, type: 'boolean', value: true }, SERVICES),
    );
    rows.reader_propagation = await measure(1000, async () => {
      const next = change();
      const seen = new Promise<void>((resolve) => {
        const stop = reader.subscribe((event) => {
          if (event.type === 'changed' && event.entries.some((entry) => entry.version === next.version)) {
            stop();
            resolve();
          }
        });
      });
      await cache.apply(next, SERVICES);
      await seen;
    });

    const speedup = rows.apply156_sequential.p50 / rows.apply156.p50;
    const round = (value: number) => Number(value.toFixed(4));
    reportBenchmark('cache: one flag change to the 156 services of a region (local Redis)', rows, {
      apply156_p50_ms: round(rows.apply156.p50),
      apply156_p99_ms: round(rows.apply156.p99),
      apply156_sequential_p50_ms: round(rows.apply156_sequential.p50),
      apply156_sequential_p99_ms: round(rows.apply156_sequential.p99),
      apply156_speedup_p50: round(speedup),
      apply156_duplicate_p50_ms: round(rows.apply156_duplicate.p50),
      reader_propagation_p50_ms: round(rows.reader_propagation.p50),
      reader_propagation_p99_ms: round(rows.reader_propagation.p99),
      target_apply156_p50_met: rows.apply156.p50 <= 1,
      target_apply156_p99_met: rows.apply156.p99 <= 5,
      target_speedup_met: speedup >= 8,
      target_reader_propagation_p99_met: rows.reader_propagation.p99 <= 5,
    });
  } finally {
    await reader.close();
    await cache.clear();
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
