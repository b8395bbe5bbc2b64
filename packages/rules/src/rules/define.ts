import {
  AllConditions,
  AnyConditions,
  Condition,
  ConditionValue,
  FactCondition,
  FactName,
  NotCondition,
  OperatorName,
  RuleCategory,
  RuleDefinition,
  Severity,
  TopLevelCondition,
} from '../engine/rule-types';

export const fact = (name: FactName, operator: OperatorName, value: ConditionValue): FactCondition => ({
  fact: name,
  operator,
  value,
});
export const all = (...conditions: Condition[]): AllConditions => ({ all: conditions });
export const any = (...conditions: Condition[]): AnyConditions => ({ any: conditions });
export const not = (condition: Condition): NotCondition => ({ not: condition });

/** Conditions many rules share. */
export const isProduction = fact('production', 'equal', true);
export const isOperatorChange = fact('kind', 'equal', 'change');
export const isSystemWrite = fact('kind', 'in', ['restore', 'rollback']);
export const isKillSwitch = fact('killSwitch', 'equal', true);
export const targetsTier0 = fact('targetTiers', 'contains', 0);
export const targetsTier1 = fact('targetTiers', 'contains', 1);
export const exceeds = (name: FactName, limit: number): FactCondition => fact(name, 'greaterThan', limit);
export const isTrue = (name: FactName): FactCondition => fact(name, 'equal', true);
export const isFalse = (name: FactName): FactCondition => fact(name, 'equal', false);
export const anyOf = (name: FactName): FactCondition => fact(name, 'greaterThan', 0);

export interface RuleSpec {
  readonly id: string;
  readonly severity?: Severity;
  /**
   * Integrity rules (schema, identity, ownership, secrets) hold for every write. Every other rule (pace,
   * windows, ramps, expiry, process) yields to the safety valves: a turn-off, a kill switch engaged and a
   * rollback are never blocked by it.
   * @default false
   */
  readonly integrity?: boolean;
  readonly description: string;
  /** What goes wrong without the rule, in a sentence (RULES.md). */
  readonly why: string;
  readonly message: string;
  readonly path: string;
  readonly when: TopLevelCondition | FactCondition;
}

/** The change is none of the safety valves (turn-off, kill switch engaged, rollback). */
export const isNoSafetyValve = fact('safetyValve', 'equal', null);

/**
 * Rules of one category; a single fact condition is wrapped in `all` as json-rules-engine requires, and a
 * rule that is not an integrity rule starts with "not a safety valve".
 */
export function defineFamily(category: RuleCategory, specs: readonly RuleSpec[]): RuleDefinition[] {
  return specs.map(({ id, severity = 'error', integrity = false, description, why, message, path, when }) => {
    const meta = { ruleId: id, category, severity, integrity, description, message, path };
    const conditions = integrity ? ('fact' in when ? all(when) : when) : yieldingToSafetyValves(when);
    return {
      ...meta,
      why,
      properties: { name: id, conditions, event: { type: 'violation', params: meta } },
    };
  });
}

function yieldingToSafetyValves(when: TopLevelCondition | FactCondition): TopLevelCondition {
  if ('all' in when) return all(isNoSafetyValve, ...when.all);
  return all(isNoSafetyValve, when);
}
