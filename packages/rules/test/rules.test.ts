import { rules } from '../src';
import { ruleCases } from './cases';
import { inQa, scenario, validate } from './support/scenario';

describe('the clean change', () => {
  test('breaks no rule in production', () => {
    expect(validate(scenario()).violations).toEqual([]);
  });
  test('breaks no rule outside production', () => {
    const s = scenario();
    inQa(s);
    expect(validate(s).violations).toEqual([]);
  });
});

describe.each(rules.map((rule) => [`${rule.ruleId}: ${rule.description}`, rule] as const))('%s', (_, rule) => {
  const cases = ruleCases[rule.ruleId];

  test('a compliant change passes', () => {
    const s = scenario();
    cases.pass(s);
    expect(validate(s).violations.map((v) => v.ruleId)).not.toContain(rule.ruleId);
  });

  // Not the shared clean change again (53 rules once re-ran it as their "compliant" case, which proves nothing
  // about the rule): a near miss of the violation, a field or context that differs. `toEqual` treats a field
  // set to undefined as absent, so blanking a field the clean change lacks does not count.
  test('the compliant case is its own, not the shared clean change', () => {
    const s = scenario();
    cases.pass(s);
    expect(s).not.toEqual(scenario());
  });

  test('a violating change is reported with the rule, field and a filled-in message', () => {
    const s = scenario();
    cases.fail(s);
    const result = validate(s);
    const violation = result.violations.find((v) => v.ruleId === rule.ruleId);
    expect(violation).toEqual({
      ruleId: rule.ruleId,
      category: rule.category,
      severity: rule.severity,
      path: rule.path,
      message: expect.any(String),
    });
    expect(violation!.message).not.toMatch(/\{\w+\}/);
    if (rule.severity === 'error') expect(result.valid).toBe(false);
  });
});
