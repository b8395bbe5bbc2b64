import { CustomOperator, customOperators } from './operators';
import { Condition, ConditionValue, FactCondition, RuleDefinition } from './rule-types';
import { Facts } from '../facts/facts';

export type Predicate = (facts: Facts) => boolean;

/** json-rules-engine's guard for numeric operators: anything parseFloat cannot read (null…) never compares. */
const isNumeric = (v: unknown): boolean => v != null && Number.parseFloat(v as string).toString() !== 'NaN';

/**
 * The built-in operators that are not plain comparisons, with json-rules-engine's exact semantics (the
 * differential test holds us to it). For a number the numeric guard is `a === a`, which the comparison
 * itself already implies, so numbers skip the parseFloat round trip.
 */
const helpers = {
  in: (a: unknown, b: readonly unknown[]) => b.indexOf(a) > -1,
  notIn: (a: unknown, b: readonly unknown[]) => b.indexOf(a) === -1,
  contains: (a: unknown, b: unknown) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a: unknown, b: unknown) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a: any, b: any) => (typeof a === 'number' ? a < b : isNumeric(a) && a < b),
  lessThanInclusive: (a: any, b: any) => (typeof a === 'number' ? a <= b : isNumeric(a) && a <= b),
  greaterThan: (a: any, b: any) => (typeof a === 'number' ? a > b : isNumeric(a) && a > b),
  greaterThanInclusive: (a: any, b: any) => (typeof a === 'number' ? a >= b : isNumeric(a) && a >= b),
};
const STRICT_OPERATORS: Record<string, string> = { equal: '===', notEqual: '!==' };

/**
 * Generates the JavaScript of a set of conditions. Facts are read as `f.name`, so each read site sees
 * one object shape and V8 compiles it to a single load; condition values that are not plain literals
 * (lists, prepared regexes and sets) are passed in through the constants array `k`.
 */
class ConditionWriter {
  readonly constants: unknown[] = [];

  write(condition: Condition): string {
    if ('all' in condition) {
      return condition.all.length ? `(${condition.all.map((c) => this.write(c)).join(' && ')})` : 'true';
    }
    if ('any' in condition) {
      return condition.any.length ? `(${condition.any.map((c) => this.write(c)).join(' || ')})` : 'false';
    }
    if ('not' in condition) return `!${this.write(condition.not)}`;
    return this.writeFact(condition);
  }

  private writeFact({ fact, operator, value }: FactCondition): string {
    const read = /^[A-Za-z_$][\w$]*$/.test(fact) ? `f.${fact}` : `f[${JSON.stringify(fact)}]`;
    const strict = STRICT_OPERATORS[operator];
    if (strict) return `(${read} ${strict} ${this.literal(value)})`;
    if (operator in helpers) return `h.${operator}(${read}, ${this.literal(value)})`;
    const custom = (customOperators as Record<string, CustomOperator | undefined>)[operator];
    if (!custom) throw new Error(`unknown operator '${operator}' on fact '${fact}'`);
    return `o.${operator}.evaluate(${read}, ${this.constant(custom.prepare(value))})`;
  }

  /** Strings, booleans, null and finite numbers go into the source; anything else is a constant. */
  private literal(value: ConditionValue): string {
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
    if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return String(value);
    return this.constant(value);
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }
}

/** Writes the indexes of the violated rules into `hits` and returns how many there are. */
export type ViolationScan = (facts: Facts, hits: number[]) => number;

/**
 * Turns the conditions of many rules into plain synchronous code with one `new Function` (one parse at
 * load time): a predicate per rule, and one scan with the very same expressions in a row, which the
 * validator runs so V8 optimises a single function instead of calling 234.
 */
export function compileConditionSet(conditions: readonly Condition[]): {
  predicates: Predicate[];
  scan: ViolationScan;
} {
  const writer = new ConditionWriter();
  const expressions = conditions.map((c) => writer.write(c));
  const predicates = expressions.map((e) => `(f) => ${e}`).join(',\n');
  const scan = expressions.map((e, i) => `  if (${e}) hits[n++] = ${i};`).join('\n');
  // Source generated from the rules' JSON at load time, never from a change: no input reaches the code.
  const build = new Function(
    'h',
    'o',
    'k',
    `return {\npredicates: [\n${predicates}\n],\nscan: (f, hits) => {\n  let n = 0;\n${scan}\n  return n;\n}\n};`,
  );
  return build(helpers, customOperators, writer.constants);
}

/** Turns one rule's JSON conditions into a plain synchronous predicate. */
export function compileConditions(condition: Condition): Predicate {
  return compileConditionSet([condition]).predicates[0];
}

/** Fills `{factName}` placeholders of a message from the facts of the change that broke the rule. */
export function compileMessage(template: string): (facts: Facts) => string {
  const parts = template.split(/\{(\w+)\}/);
  if (parts.length === 1) return () => template;
  return (facts) => {
    let text = parts[0];
    for (let i = 1; i < parts.length; i += 2) text += formatFact(facts[parts[i] as keyof Facts]) + parts[i + 1];
    return text;
  };
}

function formatFact(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export interface CompiledRule {
  readonly rule: RuleDefinition;
  readonly violated: Predicate;
  readonly message: (facts: Facts) => string;
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  /** Every violated rule of a change at once: indexes into `rules`, in order. */
  readonly scan: ViolationScan;
}

/** Compiles rules together (one generated function source for the whole set), once, at load time. */
export function compileRuleSet(ruleSet: readonly RuleDefinition[]): CompiledRuleSet {
  const { predicates, scan } = compileConditionSet(ruleSet.map((rule) => rule.properties.conditions));
  const compiled = ruleSet.map((rule, i) => ({ rule, violated: predicates[i], message: compileMessage(rule.message) }));
  return { rules: compiled, scan };
}

export function compileRules(ruleSet: readonly RuleDefinition[]): CompiledRule[] {
  return [...compileRuleSet(ruleSet).rules];
}

export function compileRule(rule: RuleDefinition): CompiledRule {
  return compileRules([rule])[0];
}
