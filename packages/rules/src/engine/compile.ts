import { joinRegexTests } from './joined-regex';
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

  /** The expression that reads a fact. */
  read(fact: string): string {
    return /^[A-Za-z_$][\w$]*$/.test(fact) ? `f.${fact}` : `f[${JSON.stringify(fact)}]`;
  }

  private writeFact({ fact, operator, value }: FactCondition): string {
    const read = this.read(fact);
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

  constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }
}

/** Writes the indexes of the violated rules into `hits` and returns how many there are. */
export type ViolationScan = (facts: Facts, hits: number[]) => number;

const REGEX_OPERATORS: Record<string, string> = { matches: '', matchesIgnoringCase: 'i' };
/** Below this many, one joined regex saves less than the extra test costs. */
const MIN_REGEX_RUN = 4;

/** The fact and regex of a rule that is nothing but one regex test of one fact. */
function soleRegexTest(condition: Condition): { fact: string; pattern: string; flags: string } | undefined {
  const only = 'all' in condition && condition.all.length === 1 ? condition.all[0] : condition;
  if (!('fact' in only) || !(only.operator in REGEX_OPERATORS)) return undefined;
  return { fact: only.fact, pattern: String(only.value), flags: REGEX_OPERATORS[only.operator] };
}

/**
 * Consecutive rules that each test one regex against the same fact (the key-naming patterns, the
 * personal-data detectors), as [first, end) index ranges with the regexes that guard them: one joined regex per flag
 * set. The scan runs the rules one by one only when a guard matches. `(?:a)|(?:b)` matches a string
 * exactly when `a` or `b` does, so the verdicts are the same, but a clean value costs two passes, not dozens.
 */
function regexRuns(conditions: readonly Condition[]) {
  const runs: { first: number; end: number; fact: string; joined: RegExp[] }[] = [];
  let first = 0;
  while (first < conditions.length) {
    const head = soleRegexTest(conditions[first]);
    let end = first + 1;
    while (head && end < conditions.length && soleRegexTest(conditions[end])?.fact === head.fact) end++;
    if (head && end - first >= MIN_REGEX_RUN) {
      const tests = conditions.slice(first, end).map((c) => soleRegexTest(c)!);
      runs.push({ first, end, fact: head.fact, joined: joinRegexTests(tests) });
    }
    first = end;
  }
  return runs;
}

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
  const lines = expressions.map((e, i) => `  if (${e}) hits[n++] = ${i};`);
  for (const { first, end, fact, joined } of regexRuns(conditions)) {
    const read = writer.read(fact);
    const anyMatch = joined.map((regex) => `${writer.constant(regex)}.test(${read})`).join(' || ');
    lines[first] = `  if (typeof ${read} === 'string' && (${anyMatch})) {\n${lines[first]}`;
    lines[end - 1] = `${lines[end - 1]}\n  }`;
  }
  const scan = lines.join('\n');
  // Source generated from the rules' JSON at load time, never from a change: no input reaches the code.
  const build = new Function(
    'h',
    'o',
    'k',
    `return {\npredicates: [\n${predicates}\n],\nscan: (f, hits) => {\n  let n = 0;\n${scan}\n  return n;\n}\n};`,
  );
  return build(helpers, customOperators, writer.constants);
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

/** A message names what to fix; it does not echo a megabyte of input: long lists and texts are shortened. */
const MAX_LISTED = 10;
const MAX_TEXT = 120;

function formatFact(value: unknown): string {
  if (!Array.isArray(value)) return formatText(value);
  const shown = value.slice(0, MAX_LISTED).map(formatText).join(', ');
  return value.length > MAX_LISTED ? `${shown}, … (${value.length - MAX_LISTED} more)` : shown;
}

function formatText(value: unknown): string {
  const text = String(value);
  if (text.length <= MAX_TEXT) return text;
  // Never cut a surrogate pair in half.
  const end = /[\ud800-\udbff]/.test(text[MAX_TEXT - 1]) ? MAX_TEXT - 1 : MAX_TEXT;
  return `${text.slice(0, end)}… (${text.length} characters)`;
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
