import { TargetingRule } from '../model/flag-change';

const NUMERIC_OPERATORS = new Set(['lt', 'lte', 'gt', 'gte']);
const SEMVER_OPERATORS = new Set(['semverEq', 'semverLt', 'semverGte']);
const PARTIAL_OPERATORS = new Set(['contains', 'startsWith', 'endsWith']);

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

function countContradictions(targeting: readonly TargetingRule[]): number {
  let count = 0;
  for (const included of targeting.filter((r) => r.operator === 'in')) {
    for (const excluded of targeting.filter((r) => r.operator === 'notIn' && r.attribute === included.attribute)) {
      count += included.values.filter((v) => excluded.values.includes(v)).length;
    }
  }
  return count;
}
