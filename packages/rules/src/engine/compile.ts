import { CustomOperator, customOperators } from './operators';
import { Condition, ConditionValue, FactCondition, RuleDefinition } from './rule-types';
import { Facts } from '../facts/facts';

export type Predicate = (facts: Facts) => boolean;

/** json-rules-engine's guard for numeric operators: anything parseFloat cannot read never compares. */
const isNumeric = (v: unknown): boolean => Number.parseFloat(v as string).toString() !== 'NaN';

/** The built-in operators, with json-rules-engine's exact semantics (the differential test holds us to it). */
const builtIns: Record<string, (fact: any, value: any) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => b.indexOf(a) > -1,
  notIn: (a, b) => b.indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumeric(a) && a < b,
  lessThanInclusive: (a, b) => isNumeric(a) && a <= b,
  greaterThan: (a, b) => isNumeric(a) && a > b,
  greaterThanInclusive: (a, b) => isNumeric(a) && a >= b,
};

/** Turns a rule's JSON conditions into a plain synchronous predicate, once, at load time. */
export function compileConditions(condition: Condition): Predicate {
  // Plain loops: a closure per evaluation would put hundreds of allocations on every change.
  if ('all' in condition) {
    const parts = condition.all.map(compileConditions);
    return (facts) => {
      for (const part of parts) if (!part(facts)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileConditions);
    return (facts) => {
      for (const part of parts) if (part(facts)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const inner = compileConditions(condition.not);
    return (facts) => !inner(facts);
  }
  return compileFactCondition(condition);
}

function compileFactCondition({ fact, operator, value }: FactCondition): Predicate {
  const builtIn = builtIns[operator];
  if (builtIn) return (facts) => builtIn(facts[fact], value);
  const custom = (customOperators as Record<string, CustomOperator | undefined>)[operator];
  if (!custom) throw new Error(`unknown operator '${operator}' on fact '${fact}'`);
  const prepared = custom.prepare(value as ConditionValue);
  return (facts) => custom.evaluate(facts[fact], prepared);
}

/** Fills `{factName}` placeholders of a message from the facts of the change that broke the rule. */
export function compileMessage(template: string): (facts: Facts) => string {
  const parts = template.split(/\{(\w+)\}/);
  if (parts.length === 1) return () => template;
  return (facts) => parts.map((part, i) => (i % 2 === 0 ? part : formatFact(facts[part as keyof Facts]))).join('');
}

function formatFact(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export interface CompiledRule {
  readonly rule: RuleDefinition;
  readonly violated: Predicate;
  readonly message: (facts: Facts) => string;
}

export function compileRule(rule: RuleDefinition): CompiledRule {
  return { rule, violated: compileConditions(rule.properties.conditions), message: compileMessage(rule.message) };
}
