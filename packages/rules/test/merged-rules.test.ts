import { scenario, validate, violatedRuleIds, iso, MINUTE, Scenario } from './support/scenario';

/**
 * The tier-0 limits that were rules of their own (FFC-TIER-003, -005, -007, now retired) are branches of
 * the rule they restated: each branch fires where the general limit does not.
 */
const onTier0 = (s: Scenario) => {
  s.change.services = ['checkout-api'];
  s.change.approvedBy = 'asmith';
  s.context.current = { ...s.context.current!, services: ['checkout-api'] };
};
const changesToday = (n: number) => (s: Scenario) => {
  s.context.history = Array.from({ length: n }, (_, i) => ({
    version: 1 - i,
    kind: 'change' as const,
    changedAt: iso(-(60 + i * 20) * MINUTE),
    changedBy: 'jdoe',
  }));
};

describe.each([
  [
    'FFC-ROLLOUT-004',
    'exposure grows 2.2-fold (5% to 11%)',
    (s: Scenario) => void (s.change.rollout = { percentage: 11 }),
  ],
  ['FFC-RATE-002', 'the flag changed 3 times today', changesToday(3)],
  [
    'FFC-SIZE-001',
    'a 5 KB value',
    (s: Scenario) => {
      Object.assign(s.change, { type: 'json', value: { text: 'x'.repeat(5000) }, rollout: undefined });
      s.context.current = { ...s.context.current!, type: 'json', value: { text: 'y' }, rollout: undefined };
    },
  ],
])('%s: %s', (id, _, edit) => {
  test('is allowed for a tier-2 service', () => {
    const s = scenario();
    edit(s);
    expect(violatedRuleIds(s)).not.toContain(id);
  });
  test('is refused where tier-0 services are reached', () => {
    const s = scenario();
    onTier0(s);
    edit(s);
    expect(validate(s).violations.map((v) => v.ruleId)).toContain(id);
  });
});

// The credential detectors that were rules of their own are FFC-SEC-001's table: test/secret-detectors.test.ts.
