import { SEMVER_PATTERN, TARGETING_OPERATORS } from '@ffc/cache/lib/evaluation/operators';
import { all, anyOf, defineFamily, exceeds, fact, isProduction } from './define';
// The one list of operators, defined by the evaluator services run (a module without Redis or OpenFeature).
import { REGIONS } from '../catalogue/catalogue';

export { TARGETING_OPERATORS };

/** Context attributes services send with every evaluation. */
export const TARGETING_ATTRIBUTES = [
  'userId',
  'accountId',
  'tenantId',
  'deviceId',
  'sessionId',
  'country',
  'region',
  'language',
  'plan',
  'platform',
  'deviceType',
  'appVersion',
  'osVersion',
  'segment',
  'beta',
  'accountAgeDays',
];
/** Attributes that would put personal data into every region's flag table and caches. */
export const PERSONAL_ATTRIBUTES = ['email', 'phone', 'ipAddress', 'ip', 'name', 'firstName', 'lastName', 'address'];

export const targetingRules = defineFamily('targeting', [
  {
    id: 'FFC-TARGET-001',
    integrity: true,
    description: 'Targeting uses only attributes that services send.',
    message: `targeting uses attributes {targetingAttributes}; services only send ${TARGETING_ATTRIBUTES.join(', ')}`,
    path: 'targeting',
    when: fact('targetingAttributes', 'someNotIn', [...TARGETING_ATTRIBUTES, ...PERSONAL_ATTRIBUTES]),
  },
  {
    id: 'FFC-TARGET-002',
    integrity: true,
    description: 'Targeting uses only operators the SDKs implement.',
    message: `targeting uses operators {targetingOperators}; supported: ${TARGETING_OPERATORS.join(', ')}`,
    path: 'targeting',
    when: fact('targetingOperators', 'someNotIn', [...TARGETING_OPERATORS]),
  },
  {
    id: 'FFC-TARGET-003',
    description: 'Every targeting rule lists at least one value.',
    message: '{emptyTargetingValueLists} targeting rule(s) have no values: add values or remove the rule',
    path: 'targeting',
    when: anyOf('emptyTargetingValueLists'),
  },
  {
    id: 'FFC-TARGET-004',
    description: 'A targeting rule lists at most 500 values.',
    message: 'a targeting rule lists {maxTargetingValues} values: use a segment for large audiences',
    path: 'targeting',
    when: exceeds('maxTargetingValues', 500),
  },
  {
    id: 'FFC-TARGET-005',
    description: 'A flag has at most 20 targeting rules.',
    message: 'the flag has {targetingCount} targeting rules: merge them or use segments (at most 20)',
    path: 'targeting',
    when: exceeds('targetingCount', 20),
  },
  {
    id: 'FFC-TARGET-006',
    description: 'No two targeting rules use the same attribute and operator.',
    message: '{duplicateTargetingRules} targeting rule(s) repeat an attribute and operator: merge their values',
    path: 'targeting',
    when: anyOf('duplicateTargetingRules'),
  },
  {
    id: 'FFC-TARGET-007',
    description: 'A targeting rule lists each value once.',
    message: '{duplicateTargetingValues} targeting value(s) are repeated: remove the duplicates',
    path: 'targeting',
    when: anyOf('duplicateTargetingValues'),
  },
  {
    id: 'FFC-TARGET-008',
    integrity: true,
    description: 'Numeric comparisons (lt, lte, gt, gte) compare with numbers.',
    message: '{nonNumericComparisonValues} value(s) of numeric comparisons are not numbers: use numbers',
    path: 'targeting',
    when: anyOf('nonNumericComparisonValues'),
  },
  {
    id: 'FFC-TARGET-009',
    integrity: true,
    description: 'Semantic-version operators compare with valid versions (1.2.3).',
    message: 'semver targeting values {semverTargetingValues} must look like MAJOR.MINOR.PATCH',
    path: 'targeting',
    when: fact('semverTargetingValues', 'someNotMatch', SEMVER_PATTERN.source),
  },
  {
    id: 'FFC-TARGET-010',
    integrity: true,
    description: 'Values of the matches operator are valid regular expressions.',
    message: '{invalidRegexTargetingValues} matches value(s) are not valid regular expressions: fix them',
    path: 'targeting',
    when: anyOf('invalidRegexTargetingValues'),
  },
  {
    id: 'FFC-TARGET-011',
    integrity: true,
    description: 'Regular expressions have no nested quantifiers, which can take exponential time on every evaluation.',
    message: 'a matches value has a nested quantifier such as (a+)+: rewrite it without nesting',
    path: 'targeting',
    when: fact('regexTargetingValues', 'someMatch', '\\([^)]*[+*][^)]*\\)[+*{]'),
  },
  {
    id: 'FFC-TARGET-012',
    description: 'Country values are ISO 3166-1 alpha-2 codes (DE, US).',
    message: 'country values {countryTargetingValues} must be two uppercase letters (ISO 3166-1 alpha-2)',
    path: 'targeting',
    when: fact('countryTargetingValues', 'someNotMatch', '^[A-Z]{2}$'),
  },
  {
    id: 'FFC-TARGET-013',
    description: 'Platform values are ios, android, web or desktop.',
    message: 'platform values {platformTargetingValues} must be ios, android, web or desktop',
    path: 'targeting',
    when: fact('platformTargetingValues', 'someNotIn', ['ios', 'android', 'web', 'desktop']),
  },
  {
    id: 'FFC-TARGET-014',
    description: 'Semantic-version operators apply only to version attributes.',
    message: 'semver operators used on {semverOperatorAttributes}: use them on appVersion or osVersion',
    path: 'targeting',
    when: fact('semverOperatorAttributes', 'someNotIn', ['appVersion', 'osVersion']),
  },
  {
    id: 'FFC-TARGET-015',
    integrity: true,
    description: 'Targeting never uses personal-data attributes (email, phone, IP address, names).',
    message: `targeting uses personal attributes among {targetingAttributes}: target by userId or segment instead`,
    path: 'targeting',
    when: fact('targetingAttributes', 'someMatch', `^(${PERSONAL_ATTRIBUTES.join('|')})$`),
  },
  {
    id: 'FFC-TARGET-016',
    description: 'Targeting values are at most 256 characters.',
    message: 'a targeting value is longer than 256 characters: shorten it or use a segment',
    path: 'targeting',
    when: fact('targetingValueStrings', 'someMatch', '^[\\s\\S]{257,}$'),
  },
  {
    id: 'FFC-TARGET-017',
    description: 'No value is both included (in) and excluded (notIn) for the same attribute.',
    message: '{contradictoryTargetingValues} value(s) are both in and notIn for one attribute: decide which',
    path: 'targeting',
    when: anyOf('contradictoryTargetingValues'),
  },
  {
    id: 'FFC-TARGET-018',
    severity: 'warning',
    description: 'Production flags target more than 100 individual users through a segment, not a list.',
    message: 'a production rule lists {maxUserIdListLength} userIds: create a segment and target it',
    path: 'targeting',
    when: all(isProduction, exceeds('maxUserIdListLength', 100)),
  },
  {
    id: 'FFC-TARGET-019',
    integrity: true,
    description: 'String operators (in, startsWith, contains, matches…) compare with strings.',
    message: '{numericValuesForStringOperators} value(s) of string operators are numbers: quote them',
    path: 'targeting',
    when: anyOf('numericValuesForStringOperators'),
  },
  {
    id: 'FFC-TARGET-020',
    description:
      'Partial matches (contains, startsWith, endsWith) use at least 2 characters; 1 matches nearly everyone.',
    message: 'partial-match values {partialMatchValues} are too short: use at least 2 characters',
    path: 'targeting',
    when: fact('partialMatchValues', 'someMatch', '^[\\s\\S]?$'),
  },
  {
    id: 'FFC-TARGET-021',
    description: 'Language values are BCP 47 tags in canonical case (en, de-AT, es-419, zh-Hant-TW).',
    message: 'language values {languageTargetingValues} must be BCP 47 tags such as en, de-AT, es-419 or zh-Hant',
    path: 'targeting',
    // language, then optional script (Hant), region (AT or 419) and variants (1996, valencia), RFC 5646.
    when: fact(
      'languageTargetingValues',
      'someNotMatch',
      '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([0-9A-Za-z]{5,8}|[0-9][0-9A-Za-z]{3}))*$',
    ),
  },
  {
    id: 'FFC-TARGET-022',
    description: 'Plan values are the plans billing knows.',
    message: 'plan values {planTargetingValues} must be free, starter, pro, business or enterprise',
    path: 'targeting',
    when: fact('planTargetingValues', 'someNotIn', ['free', 'starter', 'pro', 'business', 'enterprise']),
  },
  {
    id: 'FFC-TARGET-023',
    description: 'Region values are regions of the catalogue.',
    message: `region values {regionTargetingValues} must be catalogue regions (${REGIONS.join(', ')})`,
    path: 'targeting',
    when: fact('regionTargetingValues', 'someNotIn', REGIONS),
  },
  {
    id: 'FFC-TARGET-024',
    description: 'Device-type values are mobile, tablet, desktop or tv.',
    message: 'deviceType values {deviceTypeTargetingValues} must be mobile, tablet, desktop or tv',
    path: 'targeting',
    when: fact('deviceTypeTargetingValues', 'someNotIn', ['mobile', 'tablet', 'desktop', 'tv']),
  },
]);
