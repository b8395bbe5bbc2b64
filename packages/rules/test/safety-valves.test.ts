import { createValidationContext, deriveFacts, FlagChange, JsonValue, rules, SafetyValve } from '../src';
import { ruleCases } from './cases';
import { HOUR, inQa, iso, Scenario, scenario, validate } from './support/scenario';

/**
 * The safety valves: turning a flag off, engaging a kill switch, and rolling back (the verifier's automatic
 * rollback, or an operator writing back the last known good version). Only these rules may refuse them:
 * the document must still be one the table, the fan-out and the services can hold (schema, sizes, catalogue),
 * written by whom it claims (identity, ownership), carrying no credential or personal data, and not looping.
 */
const MAY_BLOCK_A_SAFETY_VALVE = [
  // key grammar and reserved prefixes: the key names cache entries and queues
  ...['FFC-KEY-001', 'FFC-KEY-002', 'FFC-KEY-003', 'FFC-KEY-006', 'FFC-KEY-007'],
  // value schema: what services parse
  ...['FFC-TYPE-001', 'FFC-TYPE-002', 'FFC-TYPE-003', 'FFC-TYPE-004', 'FFC-TYPE-005', 'FFC-TYPE-009'],
  ...['FFC-TYPE-011', 'FFC-TYPE-017', 'FFC-TYPE-019', 'FFC-TYPE-020'],
  // sizes the item, the fan-out message and the caches must hold
  ...['FFC-SIZE-001', 'FFC-SIZE-002', 'FFC-SIZE-003', 'FFC-SIZE-004', 'FFC-SIZE-005', 'FFC-SIZE-007'],
  // credentials and personal data: nothing may carry them
  ...['FFC-SEC-001', 'FFC-SEC-039', 'FFC-SEC-040', 'FFC-SEC-041', 'FFC-SEC-042', 'FFC-SEC-043', 'FFC-SEC-044'],
  ...['FFC-SEC-045', 'FFC-SEC-046', 'FFC-SEC-047', 'FFC-SEC-048', 'FFC-SEC-049', 'FFC-SEC-050', 'FFC-SEC-051'],
  ...['FFC-SEC-052', 'FFC-SEC-053', 'FFC-SEC-054'],
  // the flag's own declared constraints: what its services were written for
  ...['FFC-TYPE-031', 'FFC-TYPE-032', 'FFC-TYPE-033', 'FFC-TYPE-034', 'FFC-TYPE-035'],
  // what the off value is: of the value's kind, declared where the value does not reach everyone, false for booleans
  ...['FFC-TYPE-027', 'FFC-TYPE-028', 'FFC-TYPE-029'],
  // rollout and targeting schema
  ...['FFC-ROLLOUT-001', 'FFC-ROLLOUT-002', 'FFC-ROLLOUT-003', 'FFC-ROLLOUT-008'],
  ...['FFC-TARGET-001', 'FFC-TARGET-002', 'FFC-TARGET-008', 'FFC-TARGET-009', 'FFC-TARGET-010', 'FFC-TARGET-011'],
  ...['FFC-TARGET-015', 'FFC-TARGET-019'],
  // the catalogue: services and regions that exist and accept the type
  ...['FFC-SCOPE-001', 'FFC-SCOPE-002', 'FFC-SCOPE-003', 'FFC-SCOPE-004', 'FFC-SCOPE-005', 'FFC-SCOPE-006'],
  ...['FFC-SCOPE-007', 'FFC-SCOPE-008'],
  // ownership
  ...['FFC-OWNER-001', 'FFC-OWNER-002', 'FFC-OWNER-003', 'FFC-OWNER-004', 'FFC-OWNER-005', 'FFC-OWNER-006'],
  'FFC-OWNER-007',
  // identity, time and policy integrity: the right policy, a sane clock, a person or the connector
  ...['FFC-PROD-006', 'FFC-PROD-007', 'FFC-PROD-008', 'FFC-PROD-012', 'FFC-PROD-014', 'FFC-PROD-015'],
  ...['FFC-META-005', 'FFC-META-007', 'FFC-META-008', 'FFC-PROD-020'],
  ...['FFC-VER-001', 'FFC-VER-002', 'FFC-VER-003', 'FFC-VER-004', 'FFC-VER-005', 'FFC-VER-006', 'FFC-VER-007'],
  'FFC-VER-008',
  // a rollback that writes back anything but last known good would smuggle a change past review
  'FFC-VER-009',
  // shapes that cannot be evaluated at all
  ...['FFC-KILL-001', 'FFC-TEMP-003', 'FFC-PREREQ-003', 'FFC-PREREQ-010'],
  // loop guards: the validator fighting a writer, a rollback that failed verification (page instead)
  ...['FFC-RATE-006', 'FFC-RATE-007'],
];

/** A value other than `value` of the same type: what the version being rolled back from served. */
function otherValue(value: JsonValue): JsonValue {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'string') return `${value}-v2`;
  if (Array.isArray(value)) return [...value, 'v2'];
  if (value !== null && typeof value === 'object') return { ...value, variant: 2 };
  return 'v2';
}

const withoutDeadRollout = (doc: FlagChange) => (doc.rollout && doc.rollout.percentage > 0 ? doc.rollout : undefined);

/** The rule's failing document, as the flag's current state, switched off (or, for a kill switch, engaged). */
function asTurnOff(s: Scenario): SafetyValve {
  const bad = s.change as FlagChange;
  const killSwitch = bad.tags?.includes('kill-switch') ?? false;
  const boolean = bad.type === 'boolean';
  const on = { ...bad, kind: 'change' as const, rollout: withoutDeadRollout(bad), changedAt: iso(-HOUR) };
  if (killSwitch) {
    s.context.current = { ...on, value: false, rollout: undefined };
    Object.assign(s.change, { kind: 'change', value: true, version: bad.version + 1 });
    return 'kill-switch';
  }
  s.context.current = boolean ? { ...on, value: true } : on;
  Object.assign(s.change, {
    kind: 'change',
    value: boolean ? false : bad.value,
    rollout: boolean ? undefined : { ...bad.rollout, percentage: 0 },
    version: bad.version + 1,
  });
  return 'turn-off';
}

/** The rule's failing document as the last known good version, written back over a newer version. */
function asRollback(by: 'verifier' | 'operator') {
  return (s: Scenario): SafetyValve => {
    const good = { ...(s.change as FlagChange), changedAt: iso(-2 * HOUR) };
    s.context.current = { ...good, value: otherValue(good.value), version: good.version + 1, changedAt: iso(-HOUR) };
    Object.assign(s.change, { version: good.version + 2 });
    if (by === 'verifier') {
      Object.assign(s.change, { kind: 'rollback', changedBy: 'ffc-verifier' });
    } else {
      Object.assign(s.change, { kind: 'change' });
      s.context.lastKnownGood = good;
    }
    return 'rollback';
  };
}

const VALVES = {
  'a turn-off': asTurnOff,
  "the verifier's automatic rollback": asRollback('verifier'),
  "an operator's rollback to last known good": asRollback('operator'),
};
const POLICIES = { production: (_: Scenario) => undefined, test: inQa };

describe('safety valves', () => {
  test('the rules that may refuse a safety valve are exactly the integrity rules', () => {
    const integrity = rules.filter((r) => r.integrity).map((r) => r.ruleId);
    expect(integrity.sort()).toEqual([...MAY_BLOCK_A_SAFETY_VALVE].sort());
  });

  // Every rule's violating case (its cooldown, window, freeze, expiry, rate, ramp, deprecated service…)
  // becomes the flag's state and context; then the flag is switched off or rolled back.
  describe.each(Object.entries(POLICIES))('in %s policy', (_, policy) => {
    describe.each(Object.entries(VALVES))('%s', (__, valve) => {
      test.each(rules.map((r) => r.ruleId))(
        "is refused by no other rule than integrity rules: %s's failing case",
        (id) => {
          const s = scenario();
          policy(s);
          ruleCases[id].fail(s);
          const expected = valve(s);
          const result = validate(s);
          const blocking = result.violations.filter((v) => v.severity === 'error').map((v) => v.ruleId);
          expect(blocking.filter((ruleId) => !MAY_BLOCK_A_SAFETY_VALVE.includes(ruleId))).toEqual([]);
          // And it was recognised as the valve (unless an integrity rule already refuses the document).
          if (blocking.length === 0) {
            const facts = deriveFacts(s.change as FlagChange, createValidationContext(s.context));
            expect(facts.safetyValve).toBe(expected);
          }
        },
      );
    });
  });
});
