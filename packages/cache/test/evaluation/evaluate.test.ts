import {
  CompiledFlag,
  compileFlag,
  EvaluationSpec,
  InvalidEvaluationSpecError,
  OPERATORS,
  TARGETING_OPERATORS,
  TargetingOperator,
} from '../../src';

const noFlags = () => undefined;
const evaluate = (spec: EvaluationSpec, context: Record<string, unknown>, flags: Record<string, CompiledFlag> = {}) =>
  compileFlag('checkout-redesign', spec).evaluate(context, (key) => flags[key]);

describe('operators', () => {
  // attribute, values, matching attribute values, non-matching ones
  const cases: Record<TargetingOperator, [unknown[], (string | number)[], unknown[], unknown[]]> = {
    in: [
      ['DE', 'AT'],
      ['DE', 'AT'],
      ['DE', 'AT'],
      ['de', 'US', ''],
    ],
    notIn: [['DE'], ['DE'], ['US', 'AT'], ['DE']],
    startsWith: [[], ['acme-'], ['acme-eu', 'acme-'], ['my-acme-', 'acm']],
    endsWith: [[], ['@acme.com'], ['x@acme.com'], ['x@acme.com.evil']],
    contains: [[], ['beta'], ['pre-beta-1'], ['bet']],
    matches: [[], ['^u-[0-9]+$'], ['u-17'], ['u-17x', 'U-17']],
    lt: [[], [30], [29.9, '12'], [30, 31, 'abc', '']],
    lte: [[], [30], [30, '30'], [30.1]],
    gt: [[], [30], [31], [30, 'x']],
    gte: [[], [30], [30, 99], [29]],
    semverEq: [[], ['2.1.0'], ['2.1.0'], ['2.1.1', '2.1', '2.1.0-rc.1']],
    // semver §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0
    semverLt: [[], ['1.0.0'], ['1.0.0-rc.1', '0.9.99', '1.0.0-alpha'], ['1.0.0', '1.0.1', 'x']],
    semverGte: [[], ['1.0.0-beta.2'], ['1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'], ['1.0.0-beta.1', '1.0.0-alpha.1']],
  };

  test('every operator is tested here, and the list is the implementation (one definition)', () => {
    expect(Object.keys(cases).sort()).toEqual([...TARGETING_OPERATORS].sort());
    expect(TARGETING_OPERATORS).toEqual(Object.keys(OPERATORS));
  });

  test.each(Object.entries(cases))('%s', (operator, [, values, matching, other]) => {
    const spec: EvaluationSpec = { type: 'boolean', value: true, targeting: [{ attribute: 'plan', operator, values }] };
    for (const plan of matching) expect([plan, evaluate(spec, { plan }).value]).toEqual([plan, true]);
    for (const plan of other) expect([plan, evaluate(spec, { plan }).value]).toEqual([plan, false]);
    // A unit without the attribute matches no rule on it, notIn included: it is not reached.
    expect(evaluate(spec, {}).value).toBe(false);
  });
});

describe('what a flag serves, and why', () => {
  const theme: EvaluationSpec = {
    type: 'string',
    value: 'dark',
    offValue: 'light',
    variants: { on: 'dark', off: 'light' },
  };

  test('no targeting, no rollout: the value for everyone, STATIC', () => {
    expect(evaluate({ type: 'number', value: 40 }, {})).toEqual({ value: 40, variant: 'on', reason: 'STATIC' });
  });

  test('targeting: matching units get the value (TARGETING_MATCH), others the off value (DEFAULT); rules AND', () => {
    const spec = {
      ...theme,
      targeting: [
        { attribute: 'country', operator: 'in', values: ['DE'] },
        { attribute: 'plan', operator: 'in', values: ['pro'] },
      ],
    };
    expect(evaluate(spec, { country: 'DE', plan: 'pro' })).toEqual({
      value: 'dark',
      variant: 'dark',
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate(spec, { country: 'DE', plan: 'free' })).toEqual({
      value: 'light',
      variant: 'light',
      reason: 'DEFAULT',
    });
    expect(evaluate(spec, { country: 'US', plan: 'pro' }).reason).toBe('DEFAULT');
  });

  test('userId reads OpenFeature targetingKey when the context has no userId', () => {
    const spec = { ...theme, targeting: [{ attribute: 'userId', operator: 'in', values: ['u-1'] }] };
    expect(evaluate(spec, { targetingKey: 'u-1' }).value).toBe('dark');
    expect(evaluate(spec, { targetingKey: 'u-2' }).value).toBe('light');
  });

  test('a partial rollout is SPLIT either way; 0 % is DISABLED; a unit without its bucketing key gets the off value', () => {
    const spec = { ...theme, rollout: { percentage: 50, bucketBy: 'accountId' } };
    const reasons = new Set(
      Array.from({ length: 50 }, (_, i) => JSON.stringify(evaluate(spec, { accountId: `a-${i}` }))),
    );
    expect(reasons).toEqual(
      new Set([
        JSON.stringify({ value: 'dark', variant: 'dark', reason: 'SPLIT' }),
        JSON.stringify({ value: 'light', variant: 'light', reason: 'SPLIT' }),
      ]),
    );
    expect(evaluate(spec, { targetingKey: 'a-1' })).toMatchObject({ value: 'light', reason: 'DEFAULT' });
    expect(evaluate({ ...spec, rollout: { percentage: 0 } }, { accountId: 'a-1' })).toEqual({
      value: 'light',
      variant: 'light',
      reason: 'DISABLED',
    });
  });

  test('a boolean flag turns off to false without declaring it', () => {
    expect(evaluate({ type: 'boolean', value: true, rollout: { percentage: 0 } }, {}).value).toBe(false);
  });

  test('prerequisites: served at the required value, the flag applies; otherwise its off value, DISABLED', () => {
    const gate = (percentage: number) =>
      compileFlag('new-checkout', { type: 'boolean', value: true, rollout: { percentage } });
    const spec = { ...theme, prerequisites: [{ flagKey: 'new-checkout', value: true }] };
    expect(evaluate(spec, { targetingKey: 'u-1' }, { 'new-checkout': gate(100) })).toMatchObject({
      value: 'dark',
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate(spec, { targetingKey: 'u-1' }, { 'new-checkout': gate(0) })).toMatchObject({
      value: 'light',
      reason: 'DISABLED',
    });
    // A missing prerequisite is not served at any value.
    expect(evaluate(spec, {}, {})).toMatchObject({ value: 'light', reason: 'DISABLED' });
    // Evaluated per unit: at 50 % the dependent flag follows the prerequisite user by user.
    const half = gate(50);
    for (let i = 0; i < 20; i++) {
      const context = { targetingKey: `u-${i}` };
      const expected = half.evaluate(context, noFlags).value === true ? 'dark' : 'light';
      expect(evaluate(spec, context, { 'new-checkout': half }).value).toBe(expected);
    }
  });

  test('a cycle of prerequisites (refused by the rules) ends as off instead of overflowing the stack', () => {
    const flags: Record<string, CompiledFlag> = {};
    flags['flag-a'] = compileFlag('flag-a', {
      type: 'boolean',
      value: true,
      prerequisites: [{ flagKey: 'flag-b', value: true }],
    });
    flags['flag-b'] = compileFlag('flag-b', {
      type: 'boolean',
      value: true,
      prerequisites: [{ flagKey: 'flag-a', value: true }],
    });
    expect(flags['flag-a'].evaluate({}, (key) => flags[key]).value).toBe(false);
  });

  test('specs that cannot be evaluated are refused when compiled', () => {
    const bad = (spec: EvaluationSpec) => () => compileFlag('checkout-redesign', spec);
    expect(bad({ ...theme, targeting: [{ attribute: 'plan', operator: 'regex', values: ['x'] }] })).toThrow(
      InvalidEvaluationSpecError,
    );
    expect(bad({ ...theme, targeting: [{ attribute: 'plan', operator: 'matches', values: ['('] }] })).toThrow(
      /matches on plan/,
    );
    expect(bad({ type: 'string', value: 'dark', rollout: { percentage: 10 } })).toThrow(/needs an offValue/);
  });
});
