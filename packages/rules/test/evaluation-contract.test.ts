import {
  buildFanOutMessage,
  FAN_OUT_MESSAGE_LIMIT_BYTES,
  OPERATORS,
  TARGETING_OPERATORS as EVALUATOR_OPERATORS,
  toCacheRecord,
} from '@ffc/cache';
import { FlagChange, serviceCatalogue, TARGETING_OPERATORS } from '../src';
import { scenario, validate, violatedRuleIds } from './support/scenario';

/** Values each kind of operator takes, valid for the attribute used below. */
const VALUES = { text: ['pro'], number: [30], semver: ['2.1.0'], regex: ['^pro$'] } as const;
const ATTRIBUTE = { text: 'segment', number: 'accountAgeDays', semver: 'appVersion', regex: 'segment' } as const;

describe('the validator accepts exactly the operators the evaluator implements', () => {
  test('one list: the rules re-export the evaluator’s', () => {
    expect(TARGETING_OPERATORS).toBe(EVALUATOR_OPERATORS);
  });

  test.each(EVALUATOR_OPERATORS)('%s passes every targeting rule with values of its kind', (operator) => {
    const s = scenario();
    const kind = OPERATORS[operator].values;
    s.change.targeting = [{ attribute: ATTRIBUTE[kind], operator, values: [...VALUES[kind]] }];
    expect(violatedRuleIds(s).filter((id) => id.startsWith('FFC-TARGET'))).toEqual([]);
  });

  test('an operator the evaluator does not implement is refused', () => {
    const s = scenario();
    s.change.targeting = [{ attribute: 'plan', operator: 'regex', values: ['pro'] }];
    expect(violatedRuleIds(s)).toContain('FFC-TARGET-002');
  });
});

describe('the largest valid flag fits the fan-out', () => {
  // 16 strings of 4,000 characters: a json value at the 64 KB cap, each string within FFC-TYPE-021.
  const big = (letter: string) =>
    Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`part${i}`, letter.repeat(3990)]));
  const targetServices = JSON.stringify(serviceCatalogue.services.map((s) => s.id));

  test('a document at the 128 KB cap (value, off value, targeting) is valid, and its message is at most the document', () => {
    const s = scenario();
    Object.assign(s.change, {
      type: 'json',
      value: big('a'),
      offValue: big('b'),
    });
    s.context.current = { ...(s.context.current as FlagChange), type: 'json', value: big('a') };
    // Test policy: the production pace rules (a 64 KB value edit needs approvals) are not what is measured here.
    s.change.stage = 'pr-142';
    s.context.current = { ...(s.context.current as FlagChange), stage: 'pr-142' };
    s.context.production = false;
    s.context.stage = 'pr-142';
    // Pad with segment values (at most 256 characters each, FFC-TARGET-016) until the document is within
    // 300 bytes of FFC-SIZE-004's 131,072.
    const bytes = () => Buffer.byteLength(JSON.stringify(s.change));
    const segments: string[] = [];
    s.change.targeting = [
      { attribute: 'plan', operator: 'in', values: ['pro', 'business'] },
      { attribute: 'segment', operator: 'in', values: segments },
    ];
    while (bytes() < 131_072 - 300) {
      segments.push(`segment-${segments.length}-`.padEnd(Math.min(250, 131_072 - bytes() - 40), 's'));
    }
    const errors = validate(s).violations.filter((v) => v.severity === 'error');
    expect(errors.map((v) => v.ruleId)).toEqual([]);
    expect(bytes()).toBeGreaterThan(131_072 - 300);

    const message = buildFanOutMessage(s.change as FlagChange, 'c0ffee00-0000-4000-8000-000000000000');
    // SNS counts the attributes too: the target-services attribute, at its largest (every service).
    expect(Buffer.byteLength(message) + Buffer.byteLength(targetServices)).toBeLessThan(FAN_OUT_MESSAGE_LIMIT_BYTES);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(bytes());
    expect(() => toCacheRecord(s.change as FlagChange)).not.toThrow();
  });

  test('one byte over the document cap is refused by the rules', () => {
    const s = scenario();
    s.change.description = 'x'.repeat(131_072);
    expect(violatedRuleIds(s)).toContain('FFC-SIZE-004');
  });
});
