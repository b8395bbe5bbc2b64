import { appliedVersionsQuery, checkConsistency, parseAppliedRows } from '../src';

/**
 * Two regions can each accept version N of one flag within the replication lag; last-writer-wins keeps one
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html). A
 * service holding the other write of N has not applied this one, whatever its version number says.
 */
const change = {
  flagKey: 'checkout-one-click',
  version: 2,
  services: ['checkout-api', 'search-api'],
  correlationId: 'winner',
  kind: 'change' as const,
};

describe('verification compares the write, not only the version', () => {
  test('a service holding the losing write of the same version is a difference', () => {
    const [verdict] = checkConsistency(
      'us-east-2',
      [change],
      [
        { service: 'checkout-api', flagKey: change.flagKey, version: 2, correlationId: 'winner' },
        { service: 'search-api', flagKey: change.flagKey, version: 2, correlationId: 'loser' },
      ],
    );
    expect(verdict.consistent).toBe(false);
    expect(verdict.differences).toEqual([{ service: 'search-api', expectedVersion: 2, observedVersion: 2 }]);
  });

  test('once the winning write is applied too, the service is consistent (a row per write it held)', () => {
    const [verdict] = checkConsistency(
      'us-east-2',
      [change],
      [
        { service: 'checkout-api', flagKey: change.flagKey, version: 2, correlationId: 'winner' },
        { service: 'search-api', flagKey: change.flagKey, version: 2, correlationId: 'loser' },
        { service: 'search-api', flagKey: change.flagKey, version: 2, correlationId: 'winner' },
      ],
    );
    expect(verdict.consistent).toBe(true);
  });

  test('a newer version, or evidence that cannot tell the writes apart, still counts', () => {
    const [verdict] = checkConsistency(
      'us-east-2',
      [change],
      [
        { service: 'checkout-api', flagKey: change.flagKey, version: 3, correlationId: 'later' },
        { service: 'search-api', flagKey: change.flagKey, version: 2 },
      ],
    );
    expect(verdict.consistent).toBe(true);
  });

  test('the query groups by the stored write, and the rows carry it', () => {
    expect(appliedVersionsQuery([change.flagKey])).toMatch(/by service, flagKey, storedCorrelationId$/);
    const rows = parseAppliedRows([
      [
        { field: 'service', value: 'search-api' },
        { field: 'flagKey', value: change.flagKey },
        { field: 'storedCorrelationId', value: 'loser' },
        { field: 'version', value: '2' },
      ],
      [
        { field: 'service', value: 'checkout-api' },
        { field: 'flagKey', value: change.flagKey },
        { field: 'version', value: '2' },
      ],
    ]);
    expect(rows).toEqual([
      { service: 'search-api', flagKey: change.flagKey, version: 2, correlationId: 'loser' },
      { service: 'checkout-api', flagKey: change.flagKey, version: 2 },
    ]);
  });
});
