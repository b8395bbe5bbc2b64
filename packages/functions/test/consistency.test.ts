import { appliedVersionsQuery, checkConsistency, createConsistencyCheckerHandler, parseAppliedRows } from '../src';
import { RecordingAudit } from './support/fixtures';

const change = {
  flagKey: 'checkout-one-click',
  version: 7,
  services: ['checkout-api', 'checkout-receipt', 'search-api'],
  correlationId: 'c-1',
  kind: 'change' as const,
};
const row = (service: string, flagKey: string, version: string) => [
  { field: 'service', value: service },
  { field: 'flagKey', value: flagKey },
  { field: 'version', value: version },
];

describe('checkConsistency', () => {
  test('every targeted service at the version (or newer) is consistent', () => {
    const [verdict] = checkConsistency(
      'eu-west-1',
      [change],
      [
        { service: 'checkout-api', flagKey: change.flagKey, version: 7 },
        { service: 'checkout-receipt', flagKey: change.flagKey, version: 8 },
        { service: 'search-api', flagKey: change.flagKey, version: 7 },
      ],
    );
    expect(verdict).toMatchObject({ consistent: true, appliedCount: 3, differences: [], isRollback: false });
  });

  test('a missing service and an older version are both listed, in service order', () => {
    const [verdict] = checkConsistency(
      'eu-west-1',
      [change],
      [
        { service: 'search-api', flagKey: change.flagKey, version: 6 },
        { service: 'checkout-api', flagKey: change.flagKey, version: 7 },
        { service: 'checkout-receipt', flagKey: 'another-flag', version: 7 },
      ],
    );
    expect(verdict.consistent).toBe(false);
    expect(verdict.differences).toEqual([
      { service: 'checkout-receipt', expectedVersion: 7, observedVersion: null },
      { service: 'search-api', expectedVersion: 7, observedVersion: 6 },
    ]);
  });

  test('only the explicit expected set counts: extra services reporting do not make it consistent', () => {
    const [verdict] = checkConsistency(
      'eu-west-1',
      [{ ...change, services: ['checkout-api'] }],
      [{ service: 'other', flagKey: change.flagKey, version: 7 }],
    );
    expect(verdict.consistent).toBe(false);
  });

  test('a rollback is marked so the workflow alerts instead of rolling back again', () => {
    expect(checkConsistency('eu-west-1', [{ ...change, kind: 'rollback' }], [])[0].isRollback).toBe(true);
  });
});

describe('Logs Insights query and rows', () => {
  test('one query covers a batch, flag keys deduplicated and quoted', () => {
    expect(appliedVersionsQuery(['b-flag', 'a-flag', 'b-flag'])).toContain('flagKey in ["a-flag", "b-flag"]');
  });
  test('a flag key that could inject into the query is refused', () => {
    expect(() => appliedVersionsQuery(['x" or 1=1'])).toThrow(/invalid flag key/);
  });
  test('rows without a numeric version prove nothing and are skipped', () => {
    expect(parseAppliedRows([row('a-svc', 'f-one', '3'), row('b-svc', 'f-one', 'n/a')])).toEqual([
      { service: 'a-svc', flagKey: 'f-one', version: 3 },
    ]);
  });
});

describe('consistency-checker handler', () => {
  test('returns the verdicts and audits applied + verified / inconsistent per change', async () => {
    const audit = new RecordingAudit();
    const handler = createConsistencyCheckerHandler(() => ({ audit, stage: 'pr-7' }));
    const rows = [row('checkout-api', change.flagKey, '7'), row('checkout-receipt', change.flagKey, '7')];
    const { verdicts } = await handler({
      region: 'eu-west-1',
      changes: [change, { ...change, flagKey: 'other-flag', services: ['checkout-api'] }],
      rows,
    });
    expect(verdicts.map((v) => v.consistent)).toEqual([false, false]);
    expect(audit.types()).toEqual(['change.applied', 'change.inconsistent', 'change.applied', 'change.inconsistent']);
    expect(audit.events[0].details).toEqual({ appliedCount: 2, expectedCount: 3, missingServices: ['search-api'] });
  });

  test('a malformed request is an error, not an empty verdict', async () => {
    const handler = createConsistencyCheckerHandler(() => ({ audit: new RecordingAudit(), stage: 'pr-7' }));
    await expect(handler({ region: 'eu-west-1' } as never)).rejects.toThrow(
      /needs \{ region, changes\[\], rows\[\] \}/,
    );
  });
});

describe('the second source: readers acknowledging in Redis', () => {
  test('a service missing from the logs but acknowledged by its reader counts as applied', () => {
    const [verdict] = checkConsistency(
      'eu-west-1',
      [change],
      [
        { service: 'checkout-api', flagKey: change.flagKey, version: 7 },
        { service: 'checkout-receipt', flagKey: change.flagKey, version: 7 },
      ],
      [{ service: 'search-api', flagKey: change.flagKey, version: 7 }],
    );
    expect(verdict.consistent).toBe(true);
  });

  test('the handler asks the acknowledgement source per change and region', async () => {
    const asked: string[] = [];
    const handler = createConsistencyCheckerHandler(() => ({
      audit: new RecordingAudit(),
      stage: 'pr-7',
      acknowledged: async (c, region) => {
        asked.push(`${c.flagKey}@${c.version}/${region}`);
        return c.services.map((service) => ({ service, flagKey: c.flagKey, version: c.version }));
      },
    }));
    const { verdicts } = await handler({ region: 'eu-west-1', changes: [change], rows: [] });
    expect(asked).toEqual(['checkout-one-click@7/eu-west-1']);
    expect(verdicts[0].consistent).toBe(true);
  });
});
