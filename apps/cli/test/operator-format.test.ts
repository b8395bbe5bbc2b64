import { FlagState } from '../src/operator/flag-state';
import { diffDocuments, formatStatus } from '../src/operator/format';

describe('diffDocuments', () => {
  it('lists changed, added and removed fields by dotted path; arrays compare whole', () => {
    const a = { value: false, rollout: { percentage: 10, bucketBy: 'userId' }, services: ['a', 'b'], ticket: 'T-1' };
    const b = { value: true, rollout: { percentage: 50, bucketBy: 'userId' }, services: ['a'], reason: 'why' };
    expect(diffDocuments(a, b)).toEqual([
      { path: 'reason', a: undefined, b: 'why' },
      { path: 'rollout.percentage', a: 10, b: 50 },
      { path: 'services', a: ['a', 'b'], b: ['a'] },
      { path: 'ticket', a: 'T-1', b: undefined },
      { path: 'value', a: false, b: true },
    ]);
    expect(diffDocuments(a, { ...a })).toEqual([]);
  });
});

describe('formatStatus of a deployed stage', () => {
  const state: FlagState = {
    stage: 'live',
    flagKey: 'checkout-v2',
    where: 'deployed',
    current: { flagKey: 'checkout-v2', version: 7 },
    lastKnownGood: { flagKey: 'checkout-v2', version: 6 },
    converged: false,
    regions: [
      {
        region: 'eu-west-1',
        expected: 156,
        serving: 155,
        notServing: ['payments-api'],
        verified: false,
        verifiedVersion: 6,
        source: 'consistency-checker',
      },
      {
        region: 'us-east-1',
        expected: 156,
        serving: null,
        notServing: [],
        verified: false,
        verifiedVersion: 6,
        source: 'not-checked-yet',
      },
    ],
    incidents: [],
    notes: ['per-service cache contents are inside the VPC'],
  };

  it('names the services that do not serve it, says which regions are not checked yet, and what it cannot see', () => {
    const text = formatStatus(state, true);
    expect(text).toMatch(/^checkout-v2 v7 in live \(deployed\): NOT converged$/m);
    expect(text).toMatch(/eu-west-1 +155\/156 serve v7 +not verified \(verified v6\); not serving: payments-api$/m);
    expect(text).toMatch(/us-east-1 +\?\/156 \(not checked yet\) +not verified/);
    expect(text).toMatch(/^eu-west-1: per-service contents not visible from here$/m);
    expect(text).toMatch(/^note: per-service cache contents are inside the VPC$/m);
  });
});
