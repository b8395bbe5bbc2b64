import { TargetingRule } from '../model/flag-change';

const NUMERIC_OPERATORS = new Set(['lt', 'lte', 'gt', 'gte']);
const SEMVER_OPERATORS = new Set(['semverEq', 'semverLt', 'semverGte']);
const PARTIAL_OPERATORS = new Set(['contains', 'startsWith', 'endsWith']);

/** Measurements of the targeting rules; attribute-specific value lists let rules carry the formats. */
export function measureTargeting(targeting: readonly TargetingRule[]) {
  const valuesOf = (attribute: string): string[] =>
    targeting.filter((r) => r.attribute === attribute).flatMap((r) => r.values.filter(isString));
  const ofOperators = (operators: Set<string>) => targeting.filter((r) => operators.has(r.operator));
  const regexValues = targeting.filter((r) => r.operator === 'matches').flatMap((r) => r.values.filter(isString));
  const seenRules = new Set<string>();
  let duplicateTargetingRules = 0;
  let duplicateTargetingValues = 0;
  let maxUserIdListLength = 0;
  for (const r of targeting) {
    const ruleKey = `${r.attribute}\u0000${r.operator}`;
    if (seenRules.has(ruleKey)) duplicateTargetingRules++;
    seenRules.add(ruleKey);
    duplicateTargetingValues += r.values.length - new Set(r.values).size;
    if (r.attribute === 'userId' && r.operator === 'in') {
      maxUserIdListLength = Math.max(maxUserIdListLength, r.values.length);
    }
  }
  return {
    targetingCount: targeting.length,
    targetingAttributes: targeting.map((r) => r.attribute),
    targetingOperators: targeting.map((r) => r.operator),
    targetingTotalValues: targeting.reduce((n, r) => n + r.values.length, 0),
    targetingValueStrings: targeting.flatMap((r) => r.values.map(String)),
    emptyTargetingValueLists: targeting.filter((r) => r.values.length === 0).length,
    maxTargetingValues: targeting.reduce((n, r) => Math.max(n, r.values.length), 0),
    duplicateTargetingRules,
    duplicateTargetingValues,
    maxUserIdListLength,
    nonNumericComparisonValues: ofOperators(NUMERIC_OPERATORS).flatMap((r) => r.values.filter(isString)).length,
    numericValuesForStringOperators: targeting
      .filter((r) => !NUMERIC_OPERATORS.has(r.operator))
      .flatMap((r) => r.values.filter((v) => typeof v === 'number')).length,
    semverTargetingValues: ofOperators(SEMVER_OPERATORS).flatMap((r) => r.values.filter(isString)),
    semverOperatorAttributes: ofOperators(SEMVER_OPERATORS).map((r) => r.attribute),
    regexTargetingValues: regexValues,
    invalidRegexTargetingValues: regexValues.filter((v) => !compiles(v)).length,
    partialMatchValues: ofOperators(PARTIAL_OPERATORS).flatMap((r) => r.values.filter(isString)),
    contradictoryTargetingValues: countContradictions(targeting),
    countryTargetingValues: valuesOf('country'),
    platformTargetingValues: valuesOf('platform'),
    languageTargetingValues: valuesOf('language'),
    planTargetingValues: valuesOf('plan'),
    regionTargetingValues: valuesOf('region'),
    deviceTypeTargetingValues: valuesOf('deviceType'),
  };
}

function isString(v: string | number): v is string {
  return typeof v === 'string';
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function countContradictions(targeting: readonly TargetingRule[]): number {
  let count = 0;
  for (const included of targeting.filter((r) => r.operator === 'in')) {
    for (const excluded of targeting.filter((r) => r.operator === 'notIn' && r.attribute === included.attribute)) {
      count += included.values.filter((v) => excluded.values.includes(v)).length;
    }
  }
  return count;
}
