import { ConditionValue, CustomOperatorName } from './rule-types';

/**
 * Operators json-rules-engine lacks. Each prepares its condition value once (a regex, a set) so the
 * compiled validator does no work per call that it could do at load time; the reference engine in the
 * differential test registers the very same functions.
 */
export interface CustomOperator {
  prepare(value: ConditionValue): unknown;
  evaluate(factValue: unknown, prepared: unknown): boolean;
}

/** Whether some string in a list passes `test` (non-strings never count), without copying the list. */
const someString = (factValue: unknown, test: (s: string) => boolean): boolean => {
  if (!Array.isArray(factValue)) return false;
  for (const v of factValue) if (typeof v === 'string' && test(v)) return true;
  return false;
};

const regex = (flags: string) => (value: ConditionValue) => new RegExp(String(value), flags);
const test = (factValue: unknown, prepared: unknown) =>
  typeof factValue === 'string' && (prepared as RegExp).test(factValue);

export const customOperators: Record<CustomOperatorName, CustomOperator> = {
  matches: { prepare: regex(''), evaluate: test },
  matchesIgnoringCase: { prepare: regex('i'), evaluate: test },
  notMatches: { prepare: regex(''), evaluate: (f, p) => typeof f === 'string' && !(p as RegExp).test(f) },
  someMatch: { prepare: regex(''), evaluate: (f, p) => someString(f, (s) => (p as RegExp).test(s)) },
  someNotMatch: { prepare: regex(''), evaluate: (f, p) => someString(f, (s) => !(p as RegExp).test(s)) },
  someNotIn: {
    prepare: (value) => new Set(value as readonly string[]),
    evaluate: (f, p) => Array.isArray(f) && f.some((s) => !(p as Set<unknown>).has(s)),
  },
};
