import { createValidationContext, exampleChange, parseFlagChange, validateChange } from '../src';

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
