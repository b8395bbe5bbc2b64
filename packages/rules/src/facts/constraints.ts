import { isPlainObject } from './value-shape';
import { FlagChange, JsonValue, ValueConstraints } from '../model/flag-change';

/** A pattern constraint is tested on strings up to this long: a flag's declared regex must not cost a DoS. */
export const PATTERN_MAX_INPUT = 256;
const PATTERN_MAX_LENGTH = 512;
/** (a+)+, (a*)*, (a|aa){2,}: exponential backtracking on every value the pattern is tested against. */
const NESTED_QUANTIFIER = /\([^)]*[+*][^)]*\)[+*{]/;
/** More unbounded quantifiers than this make even a flat pattern polynomial on a long input. */
const MAX_UNBOUNDED_QUANTIFIERS = 3;

const NO_STRINGS: readonly string[] = Object.freeze([]);
const NONE = Object.freeze({
  hasConstraints: false,
  constraintProblems: NO_STRINGS,
  constraintProblemCount: 0,
  valuesOutsideBounds: NO_STRINGS,
  valuesOutsideBoundsCount: 0,
  valuesOutsideEnum: NO_STRINGS,
  valuesOutsideEnumCount: 0,
  valuesNotMatchingPattern: NO_STRINGS,
  valuesNotMatchingPatternCount: 0,
  missingRequiredKeys: NO_STRINGS,
  missingRequiredKeyCount: 0,
});

/**
 * The flag's declared constraints (AWS AppConfig's attribute constraints) against the two values it serves:
 * whether they fit the type and are safe to run, and which served values break them.
 */
export function measureConstraints(change: FlagChange) {
  const c = change.constraints;
  if (c === undefined) return NONE;
  const problems = constraintProblems(c, change.type);
  const served: JsonValue[] = change.offValue === undefined ? [change.value] : [change.value, change.offValue];
  const outsideBounds = served.filter(
    (v) =>
      typeof v === 'number' &&
      ((c.minimum !== undefined && v < c.minimum) || (c.maximum !== undefined && v > c.maximum)),
  );
  const outsideEnum = c.enum ? served.filter((v) => typeof v === 'string' && !c.enum!.includes(v)) : [];
  const pattern = c.pattern !== undefined && problems.length === 0 ? new RegExp(`^(?:${c.pattern})$`) : undefined;
  const notMatching = pattern
    ? served.filter((v) => typeof v === 'string' && (v.length > PATTERN_MAX_INPUT || !pattern.test(v)))
    : [];
  const missing = new Set<string>();
  for (const key of c.requiredKeys ?? []) {
    for (const v of served) if (!isPlainObject(v) || !(key in v)) missing.add(key);
  }
  const text = (values: JsonValue[]) => values.map((v) => JSON.stringify(v));
  return {
    hasConstraints: true,
    constraintProblems: problems,
    constraintProblemCount: problems.length,
    valuesOutsideBounds: text(outsideBounds),
    valuesOutsideBoundsCount: outsideBounds.length,
    valuesOutsideEnum: text(outsideEnum),
    valuesOutsideEnumCount: outsideEnum.length,
    valuesNotMatchingPattern: text(notMatching),
    valuesNotMatchingPatternCount: notMatching.length,
    missingRequiredKeys: [...missing] as readonly string[],
    missingRequiredKeyCount: missing.size,
  };
}

function constraintProblems(c: ValueConstraints, type: FlagChange['type']): string[] {
  const problems: string[] = [];
  if ((c.minimum !== undefined || c.maximum !== undefined) && type !== 'number') {
    problems.push(`minimum/maximum on a ${type} flag (number flags only)`);
  }
  if ((c.enum !== undefined || c.pattern !== undefined) && type !== 'string') {
    problems.push(`enum/pattern on a ${type} flag (string flags only)`);
  }
  if (c.requiredKeys !== undefined && type !== 'json') {
    problems.push(`requiredKeys on a ${type} flag (json flags only)`);
  }
  if (c.minimum !== undefined && c.maximum !== undefined && c.minimum > c.maximum) {
    problems.push(`minimum ${c.minimum} above maximum ${c.maximum}`);
  }
  if (c.enum?.length === 0) problems.push('an empty enum');
  if (c.requiredKeys?.length === 0) problems.push('an empty requiredKeys list');
  if (c.pattern !== undefined) problems.push(...patternProblems(c.pattern));
  return problems;
}

function patternProblems(pattern: string): string[] {
  if (pattern.length > PATTERN_MAX_LENGTH) {
    return [`a pattern of ${pattern.length} characters (at most ${PATTERN_MAX_LENGTH})`];
  }
  try {
    new RegExp(pattern);
  } catch {
    return ['a pattern that is not a regular expression'];
  }
  if (NESTED_QUANTIFIER.test(pattern)) return ['a pattern with a nested quantifier such as (a+)+'];
  const unbounded = pattern.match(/[*+]|\{\d+,\}/g)?.length ?? 0;
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) {
    return [`a pattern with ${unbounded} unbounded quantifiers (at most ${MAX_UNBOUNDED_QUANTIFIERS})`];
  }
  return [];
}
