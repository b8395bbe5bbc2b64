/** Latency figures of one benchmark case, in milliseconds. */
export interface LatencySummary {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

/** Nearest-rank percentile of already sorted samples (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: total / sorted.length,
    max: sorted[sorted.length - 1],
  };
}

/** Runs `fn` `warmup` times unmeasured, then `iterations` times, and summarises the wall-clock times. */
export async function measure(
  iterations: number,
  fn: () => unknown,
  warmup = Math.min(100, iterations),
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(samples);
}

/**
 * Prints a benchmark as a human table, then its figures as one JSON object on the last line, which is
 * what tooling reads.
 */
export function reportBenchmark(
  name: string,
  rows: Record<string, LatencySummary>,
  figures: Record<string, number | string | boolean>,
): void {
  const lines = [
    `${name}`,
    `${'case'.padEnd(36)} ${'n'.padStart(7)} ${'p50 ms'.padStart(10)} ${'p99 ms'.padStart(10)} ${'max ms'.padStart(10)}`,
  ];
  for (const [label, s] of Object.entries(rows)) {
    lines.push(
      `${label.padEnd(36)} ${String(s.samples).padStart(7)} ${s.p50.toFixed(4).padStart(10)} ${s.p99.toFixed(4).padStart(10)} ${s.max.toFixed(4).padStart(10)}`,
    );
  }
  console.log(lines.join('\n'));
  console.log(JSON.stringify(figures));
}
