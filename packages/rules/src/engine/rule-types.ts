import type { Facts } from '../facts/facts';

/** json-rules-engine's built-in operators plus the custom ones in ./operators.ts. */
export type OperatorName =
  | 'equal'
  | 'notEqual'
  | 'in'
  | 'notIn'
  | 'contains'
  | 'doesNotContain'
  | 'lessThan'
  | 'lessThanInclusive'
  | 'greaterThan'
  | 'greaterThanInclusive'
  | CustomOperatorName;

export type CustomOperatorName =
  'matches' | 'matchesIgnoringCase' | 'notMatches' | 'someMatch' | 'someNotMatch' | 'someNotIn';

export type FactName = keyof Facts;
export type ConditionValue = string | number | boolean | null | readonly (string | number)[];

/** The subset of json-rules-engine's condition format the rules use (no paths, no fact references). */
export interface FactCondition {
  readonly fact: FactName;
  readonly operator: OperatorName;
  readonly value: ConditionValue;
}
export type Condition = FactCondition | AllConditions | AnyConditions | NotCondition;
export interface AllConditions {
  readonly all: readonly Condition[];
}
export interface AnyConditions {
  readonly any: readonly Condition[];
}
export interface NotCondition {
  readonly not: Condition;
}
export type TopLevelCondition = AllConditions | AnyConditions | NotCondition;

export type Severity = 'error' | 'warning';

export type RuleCategory =
  | 'naming'
  | 'value'
  | 'size'
  | 'security'
  | 'rollout'
  | 'targeting'
  | 'scope'
  | 'ownership'
  | 'governance'
  | 'kill-switch'
  | 'lifecycle'
  | 'prerequisites'
  | 'rate'
  | 'metadata'
  | 'versioning'
  | 'service-tier';

/** What a violation reports. `message` may name facts in braces, e.g. `{unknownServices}`. */
export interface RuleMeta {
  readonly ruleId: string;
  readonly category: RuleCategory;
  readonly severity: Severity;
  /** Whether the rule also holds for safety valves (turn-off, kill switch engaged, rollback); see RuleSpec. */
  readonly integrity: boolean;
  readonly description: string;
  readonly message: string;
  /** The field of the change to fix. */
  readonly path: string;
}

/**
 * A rule in json-rules-engine's `RuleProperties` format. Its conditions describe a violation: the rule
 * fires (emits its `violation` event) when the change breaks it.
 */
export interface RuleDefinition extends RuleMeta {
  /** Why the rule exists: what goes wrong without it (RULES.md). */
  readonly why: string;
  readonly properties: {
    readonly name: string;
    readonly conditions: TopLevelCondition;
    readonly event: { readonly type: 'violation'; readonly params: RuleMeta };
  };
}
