import { randomBytes } from 'node:crypto';
import type { FlagUpdate, StructuredLogger } from '../../src';

/** A stage name no other test run uses, so parallel runs on the shared Redis never collide. */
export function randomStage(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function serviceIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`);
}

export function booleanChange(version: number, flagKey = 'checkout-redesign'): FlagUpdate {
  return { flagKey, version, type: 'boolean', value: version % 2 === 0 };
}

/** A logger that keeps its records, for asserting on the structured lines. */
export function recordingLogger(): StructuredLogger & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  return {
    records,
    info: (record) => records.push(record as Record<string, unknown>),
    warn: (record) => records.push(record as Record<string, unknown>),
  };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fisher-Yates with a seeded generator, so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
