import { createValidationContext, deriveFacts, FlagChange, FlagChangeParseError, parseFlagChange } from '../src';
import { DAY, inQa, iso, prerequisiteFlag, Scenario, scenario, validate, violatedRuleIds } from './support/scenario';

const factsOf = (s: Scenario) => deriveFacts(s.change as FlagChange, createValidationContext(s.context));
const withTargeting = (s: Scenario) => {
  s.change.targeting = [{ attribute: 'country', operator: 'in', values: ['DE'] }];
};

describe('FFC-PROD-019: promotion order', () => {
  test('production refuses new content known not to have run in staging; an unknown or a ramp passes', () => {
    const s = scenario();
    s.context.ranInLowerStage = false;
    expect(violatedRuleIds(s)).not.toContain('FFC-PROD-019'); // the clean change only ramps
    withTargeting(s);
    expect(violatedRuleIds(s)).toContain('FFC-PROD-019');
    // Until a write path supplies the proof, an unknown must not refuse every production change.
    s.context.ranInLowerStage = undefined;
    expect(violatedRuleIds(s)).not.toContain('FFC-PROD-019');
  });
  test('below production an unknown answers yes, and a known no refuses', () => {
    const s = scenario();
    inQa(s);
    withTargeting(s);
    s.context.ranInLowerStage = undefined;
    expect(violatedRuleIds(s)).not.toContain('FFC-PROD-019');
    s.context.ranInLowerStage = false;
    expect(violatedRuleIds(s)).toContain('FFC-PROD-019');
  });
});

describe('FFC-VER-002: a creation continues the key’s history', () => {
  test('after an archive (version 3) the key is created again at version 4, not 1 and not 5', () => {
    const s = scenario();
    s.context.current = undefined;
    // The store hands the rules an archive as a change of kind 'change' (store-context's toHistoryEntry).
    s.context.history = [1, 2, 3].map((version) => ({
      version,
      kind: 'change' as const,
      changedAt: iso(-DAY + version),
      changedBy: 'alice@acme.com',
    }));
    for (const [version, refused] of [
      [1, true],
      [4, false],
      [5, true],
    ] as const) {
      s.change.version = version;
      expect(violatedRuleIds(s).includes('FFC-VER-002')).toBe(refused);
    }
  });
});

describe('declared constraints', () => {
  const stringFlag = (value: string, pattern: string) => (s: Scenario) => {
    Object.assign(s.change, { type: 'string', value, rollout: undefined, constraints: { pattern } });
    s.context.current = { ...s.context.current!, type: 'string', value, rollout: undefined, constraints: { pattern } };
  };

  test('a pattern that could backtrack for ever is refused and never run', () => {
    const s = scenario();
    stringFlag(`${'a'.repeat(40)}!`, '(a+)+$')(s);
    const started = performance.now();
    const ids = violatedRuleIds(s);
    expect(performance.now() - started).toBeLessThan(100);
    expect(ids).toContain('FFC-TYPE-031');
    expect(ids).not.toContain('FFC-TYPE-034');
  });

  test('a 200,000-character value is not matched against the pattern at all (it fails it)', () => {
    const s = scenario();
    stringFlag('a'.repeat(200_000), 'a*a*a*b?')(s);
    const started = performance.now();
    const facts = factsOf(s);
    expect(performance.now() - started).toBeLessThan(100);
    expect(facts.valuesNotMatchingPatternCount).toBe(1);
  });

  test('bounds hold for the off value too', () => {
    const s = scenario();
    Object.assign(s.change, { type: 'number', value: 30, offValue: 0, constraints: { minimum: 1, maximum: 60 } });
    s.context.current = { ...s.context.current!, type: 'number', value: 30, constraints: { minimum: 1, maximum: 60 } };
    expect(validate(s).violations.find((v) => v.ruleId === 'FFC-TYPE-032')?.message).toContain('0');
  });

  test('the parser reads constraints and purpose, and refuses unknown constraint fields and purposes', () => {
    const doc = { ...scenario().change, constraints: { minimum: 1, maximum: 5 }, purpose: 'release' };
    expect(parseFlagChange(doc)).toMatchObject({ constraints: { minimum: 1, maximum: 5 }, purpose: 'release' });
    expect(() => parseFlagChange({ ...doc, constraints: { max: 5 } })).toThrow(FlagChangeParseError);
    expect(() => parseFlagChange({ ...doc, purpose: 'forever' })).toThrow(/purpose/);
  });
});

describe('archiving a flag (the change is its current document at the next version, archiving: true)', () => {
  const archive = (s: Scenario) => {
    s.context.archiving = true;
    s.change.rollout = undefined;
    s.context.current = { ...s.context.current!, rollout: undefined };
  };
  test('is refused while another flag depends on it, and allowed once detached', () => {
    const s = scenario();
    archive(s);
    const express = prerequisiteFlag('checkout-express', {
      prerequisites: [{ flagKey: 'checkout-one-click', value: true }],
    });
    s.context.dependents = [express];
    expect(violatedRuleIds(s)).toContain('FFC-PREREQ-015');
    s.context.dependents = [{ ...express, prerequisites: [] }];
    expect(violatedRuleIds(s)).not.toContain('FFC-PREREQ-015');
  });
});

// MF: releasing a kill switch (true → false) counted as a turn-off and skipped windows, freezes and ramps.
describe('kill switches', () => {
  const killSwitch = (from: boolean, to: boolean) => (s: Scenario) => {
    const fields = { flagKey: 'kill-one-click', tags: ['kill-switch'], rollout: undefined };
    Object.assign(s.change, fields, { value: to });
    s.context.current = { ...s.context.current!, ...fields, value: from };
  };
  test('engaging one is the kill-switch safety valve; releasing one is no safety valve', () => {
    const engage = scenario();
    killSwitch(false, true)(engage);
    expect(factsOf(engage).safetyValve).toBe('kill-switch');
    const release = scenario();
    killSwitch(true, false)(release);
    expect(factsOf(release).safetyValve).toBeNull();
  });
});

describe('lifetime by purpose', () => {
  test('counts from creation: a new flag is 0 days old, an existing one without a known creation is not judged', () => {
    const s = scenario();
    Object.assign(s.change, { purpose: 'ops', temporary: true, expiresAt: iso(3 * DAY) });
    s.context.current = { ...s.context.current!, purpose: 'ops', temporary: true, expiresAt: iso(3 * DAY) };
    expect(factsOf(s).flagAgeDays).toBeNull();
    expect(violatedRuleIds(s)).not.toContain('FFC-TEMP-009');
    s.context.createdAt = iso(-8 * DAY); // ops flags live 7 days
    expect(violatedRuleIds(s)).toContain('FFC-TEMP-009');
    s.context.current = undefined;
    s.context.createdAt = undefined;
    expect(factsOf(s).flagAgeDays).toBe(0);
  });
});
