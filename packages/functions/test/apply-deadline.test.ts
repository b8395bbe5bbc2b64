import { AppliedVersion, createConsistencyCheckerHandler, parsePublishedEvent } from '../src';
import { RecordingAudit } from './support/fixtures';

/**
 * A change published moments ago may still be on its way into a region's caches: the cache updater rides
 * out a Redis restart for its outage budget before a message is reported failed. Verification must not
 * call such a change inconsistent (and roll it back) before that budget can have run out.
 */
const SERVICES = ['checkout-api', 'search-api'];
const change = (publishedAt: string) => ({
  flagKey: 'checkout-one-click',
  version: 7,
  services: SERVICES,
  correlationId: 'c-1',
  kind: 'change' as const,
  publishedAt,
});
const applied = (services: readonly string[]): AppliedVersion[] =>
  services.map((service) => ({ service, flagKey: 'checkout-one-click', version: 7 }));

/** An acknowledgement source whose readers catch up after `afterMs`, and that fails for the first `failing` reads. */
function readersCatchingUp(afterMs: number, failing = 0) {
  const started = Date.now();
  let reads = 0;
  return {
    reads: () => reads,
    acknowledged: async () => {
      reads++;
      if (reads <= failing) throw new Error('redis unreachable');
      return Date.now() - started >= afterMs ? applied(SERVICES) : applied(SERVICES.slice(0, 1));
    },
  };
}

describe('consistency checker: the apply deadline', () => {
  test('within the deadline, acknowledgements are read again until the caches caught up: consistent, no rollback', async () => {
    const readers = readersCatchingUp(1_200);
    const audit = new RecordingAudit();
    const handler = createConsistencyCheckerHandler(() => ({
      audit,
      stage: 'pr-7',
      applyDeadlineMs: 5_000,
      acknowledged: readers.acknowledged,
    }));
    const { verdicts } = await handler({ region: 'eu-west-1', changes: [change(new Date().toISOString())], rows: [] });
    expect(verdicts[0].consistent).toBe(true);
    expect(readers.reads()).toBeGreaterThan(1);
    expect(audit.types()).toEqual(['change.applied', 'change.verified']);
  });

  test('past the deadline the verdict is final at once: inconsistent, read once', async () => {
    const readers = readersCatchingUp(60_000);
    const handler = createConsistencyCheckerHandler(() => ({
      audit: new RecordingAudit(),
      stage: 'pr-7',
      applyDeadlineMs: 5_000,
      acknowledged: readers.acknowledged,
    }));
    const longAgo = new Date(Date.now() - 6_000).toISOString();
    const { verdicts } = await handler({ region: 'eu-west-1', changes: [change(longAgo)], rows: [] });
    expect(verdicts[0]).toMatchObject({
      consistent: false,
      differences: [expect.objectContaining({ service: 'search-api' })],
    });
    expect(readers.reads()).toBe(1);
  });

  test('the deadline ends the wait: caches that never catch up are inconsistent once it passed', async () => {
    const readers = readersCatchingUp(60_000);
    const handler = createConsistencyCheckerHandler(() => ({
      audit: new RecordingAudit(),
      stage: 'pr-7',
      applyDeadlineMs: 1_500,
      acknowledged: readers.acknowledged,
    }));
    const started = Date.now();
    const { verdicts } = await handler({ region: 'eu-west-1', changes: [change(new Date().toISOString())], rows: [] });
    expect(verdicts[0].consistent).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('a failed read of the acknowledgements within the deadline (Redis restarting) is read again', async () => {
    const readers = readersCatchingUp(0, 2);
    const handler = createConsistencyCheckerHandler(() => ({
      audit: new RecordingAudit(),
      stage: 'pr-7',
      applyDeadlineMs: 5_000,
      acknowledged: readers.acknowledged,
    }));
    const { verdicts } = await handler({ region: 'eu-west-1', changes: [change(new Date().toISOString())], rows: [] });
    expect(verdicts[0].consistent).toBe(true);
    expect(readers.reads()).toBe(3);
  });

  test('the change-published event carries its publication time into the change to verify', () => {
    const body = JSON.stringify({
      time: '2026-12-02T03:00:00Z',
      detail: { flagKey: 'checkout-one-click', version: 7, services: SERVICES, correlationId: 'c-1' },
    });
    expect(parsePublishedEvent(body).publishedAt).toBe('2026-12-02T03:00:00Z');
    expect(() => parsePublishedEvent(body.replace('2026-12-02T03:00:00Z', 'yesterday'))).toThrow(/publishedAt/);
  });
});
