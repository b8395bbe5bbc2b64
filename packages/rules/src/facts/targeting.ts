import { operatorsTaking, PARTIAL_MATCH_OPERATORS } from '@ffc/cache/evaluation';
import { TargetingRule } from '../model/flag-change';

// The evaluator's operator definitions say what kind of values each takes.
const NUMERIC_OPERATORS = operatorsTaking('number');
const SEMVER_OPERATORS = operatorsTaking('semver');
const PARTIAL_OPERATORS = PARTIAL_MATCH_OPERATORS;

/** Measurements of the targeting rules in one pass; attribute-specific value lists let rules carry the formats. */
export function measureTargeting(targeting: readonly TargetingRule[]) {
  const m = {
    targetingCount: targeting.length,
    targetingAttributes: [] as string[],
    targetingOperators: [] as string[],
    targetingTotalValues: 0,
    targetingValueStrings: [] as string[],
    emptyTargetingValueLists: 0,
    maxTargetingValues: 0,
    duplicateTargetingRules: 0,
    duplicateTargetingValues: 0,
    maxUserIdListLength: 0,
    nonNumericComparisonValues: 0,
    numericValuesForStringOperators: 0,
    semverTargetingValues: [] as string[],
    semverOperatorAttributes: [] as string[],
    regexTargetingValues: [] as string[],
    invalidRegexTargetingValues: 0,
    partialMatchValues: [] as string[],
    contradictoryTargetingValues: countContradictions(targeting),
    countryTargetingValues: [] as string[],
    platformTargetingValues: [] as string[],
    languageTargetingValues: [] as string[],
    planTargetingValues: [] as string[],
    regionTargetingValues: [] as string[],
    deviceTypeTargetingValues: [] as string[],
  };
  const byAttribute: Record<string, string[] | undefined> = {
    country: m.countryTargetingValues,
    platform: m.platformTargetingValues,
    language: m.languageTargetingValues,
    plan: m.planTargetingValues,
    region: m.regionTargetingValues,
    deviceType: m.deviceTypeTargetingValues,
  };
  const seenRules = new Set<string>();
  for (const { attribute, operator, values } of targeting) {
    m.targetingAttributes.push(attribute);
    m.targetingOperators.push(operator);
    m.targetingTotalValues += values.length;
    if (values.length === 0) m.emptyTargetingValueLists++;
    if (values.length > m.maxTargetingValues) m.maxTargetingValues = values.length;
    const ruleKey = `${attribute}\u0000${operator}`;
    if (seenRules.has(ruleKey)) m.duplicateTargetingRules++;
    seenRules.add(ruleKey);
    m.duplicateTargetingValues += values.length - new Set(values).size;
    if (attribute === 'userId' && operator === 'in' && values.length > m.maxUserIdListLength) {
      m.maxUserIdListLength = values.length;
    }
    const numeric = NUMERIC_OPERATORS.has(operator);
    const semver = SEMVER_OPERATORS.has(operator);
    if (semver) m.semverOperatorAttributes.push(attribute);
    const sameAttribute = Object.hasOwn(byAttribute, attribute) ? byAttribute[attribute] : undefined;
    for (const v of values) {
      m.targetingValueStrings.push(String(v));
      if (typeof v === 'number' && !numeric) m.numericValuesForStringOperators++;
      if (typeof v !== 'string') continue;
      if (numeric) m.nonNumericComparisonValues++;
      if (semver) m.semverTargetingValues.push(v);
      if (operator === 'matches') {
        m.regexTargetingValues.push(v);
        if (!compiles(v)) m.invalidRegexTargetingValues++;
      }
      if (PARTIAL_OPERATORS.has(operator)) m.partialMatchValues.push(v);
      sameAttribute?.push(v);
    }
  }
  return m;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Over every pair of an `in` and a `notIn` rule on the same attribute, how many of the `in` rule's values the
 * `notIn` rule lists. Counted through a tally per attribute and value, so it stays linear in the values.
 */
function countContradictions(targeting: readonly TargetingRule[]): number {
  // attribute -> value -> how many notIn rules list it
  const excludedBy = new Map<string, Map<unknown, number>>();
  for (const { operator, attribute, values } of targeting) {
    if (operator !== 'notIn') continue;
    let tally = excludedBy.get(attribute);
    if (!tally) excludedBy.set(attribute, (tally = new Map()));
    for (const value of new Set(values)) tally.set(value, (tally.get(value) ?? 0) + 1);
  }
  if (excludedBy.size === 0) return 0;
  let count = 0;
  for (const { operator, attribute, values } of targeting) {
    const tally = operator === 'in' ? excludedBy.get(attribute) : undefined;
    if (tally) for (const value of values) count += tally.get(value) ?? 0;
  }
  return count;
}
