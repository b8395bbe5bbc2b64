import { createValidationContext, exampleChange, FlagChange, parseFlagChange, validateChange } from '../src';

// Texts that make a backtracking regex re-read a long run from each of its positions: runs of word
// characters, dotted words, near-misses of the secret and personal-data detectors.
const UNITS = ['a', 'A', '1', 'a.', 'x.', 'a-b', 'a+', 'sk-', 'a@', 'a@a.', '+1', 'ab.cd', 'AKIA', 'ey', 'AA'];
UNITS.push('a:/', 'a://', '://', 'a://b:', ' ', '\n', 'aws ', 'heroku ', 'datadog ', 'Basic ', 'Bearer ', 'DE00');
const LENGTH = 200_000;

describe('rules on adversarial text', () => {
  const context = createValidationContext({ now: '2025-03-04T10:00:00Z', stage: 'qa' });

  // Not a speed target (the benchmark has those) but a bound on the shape of the cost: a linear scan of
  // these texts takes milliseconds, a quadratic one tens of seconds (F29: 60 KB took 1.8 s in one regex).
  test.each(UNITS)('a %j run of 200,000 characters is validated in linear time', (unit) => {
    const text = unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH);
    const change = parseFlagChange({
      ...exampleChange({ type: 'string', value: text, description: text }),
      targeting: [{ attribute: 'userId', operator: 'in', values: [text] }],
    });
    const started = performance.now();
    const { violations } = validateChange(change, context);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(violations.map((v) => v.ruleId)).toContain('FFC-SIZE-001');
  });
});

// Lists the parser accepts (it bounds a document, not each list) but no review would: a fact measured by
// comparing every item with every other took 4.7 s for 90,000 tags and 1.2 s for two
// 40,000-value rules (F32).
const many = <T>(length: number, item: (i: number) => T): T[] => Array.from({ length }, (_, i) => item(i));
const LISTS: Record<string, Partial<FlagChange>> = {
  tags: { tags: many(90_000, (i) => `t-${i % 45_000}`) },
  'targeting rules': { targeting: many(40_000, (i) => ({ attribute: 'plan', operator: 'in', values: [`p${i % 7}`] })) },
  'in and notIn values': {
    targeting: [
      { attribute: 'userId', operator: 'in', values: many(60_000, (i) => `u${i}`) },
      { attribute: 'userId', operator: 'notIn', values: many(60_000, (i) => `u${i}`) },
    ],
  },
  'services and regions': {
    services: many(25_000, (i) => ['checkout-api', 'checkout-receipt'][i % 2]),
    regions: many(10_000, () => 'zz-1'),
  },
  prerequisites: {
    prerequisites: many(30_000, (i) => ({ flagKey: `base-${i % 50}`, value: true })),
    services: many(5_000, () => 'checkout-api'),
  },
};

describe('rules on adversarial list sizes', () => {
  // Prerequisite flags with large values and full service lists: what each listing is compared with.
  const prerequisites = many(50, (i) => ({
    ...exampleChange({ flagKey: `base-${i}`, type: 'string', value: 'x'.repeat(60_000) }),
    services: many(156, (j) => `s-${j}`),
  }));
  const context = createValidationContext({ now: '2025-03-04T10:00:00Z', stage: 'qa', prerequisites });

  test.each(Object.keys(LISTS))('%s are validated in linear time', (name) => {
    // Not parsed: the parser refuses more than 100 prerequisites, and validateChange is a library call too.
    const change = { ...exampleChange(), ...LISTS[name] };
    const started = performance.now();
    const { valid } = validateChange(change, context);
    // Linear: tens of milliseconds. Comparing every item with every other: seconds.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(valid).toBe(false);
  });
});
