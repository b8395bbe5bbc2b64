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
  readonly description: string;
  readonly message: string;
  readonly path: string;
  readonly when: TopLevelCondition | FactCondition;
}

/** Rules of one category; a single fact condition is wrapped in `all` as json-rules-engine requires. */
export function defineFamily(category: RuleCategory, specs: readonly RuleSpec[]): RuleDefinition[] {
  return specs.map(({ id, severity = 'error', description, message, path, when }) => {
    const meta = { ruleId: id, category, severity, description, message, path };
    const conditions = 'fact' in when ? all(when) : when;
    return { ...meta, properties: { name: id, conditions, event: { type: 'violation', params: meta } } };
  });
}
