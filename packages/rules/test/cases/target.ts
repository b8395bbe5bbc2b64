import { RuleCases, Scenario } from '../support/scenario';

type Rule = { attribute: string; operator: string; values: (string | number)[] };
const target =
  (...rules: Rule[]) =>
  (s: Scenario) => {
    s.change.targeting = rules;
  };
const rule = (attribute: string, operator: string, values: (string | number)[]): Rule => ({
  attribute,
  operator,
  values,
});
const many = (n: number, prefix = 'u-') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export const targetingCases: RuleCases = {
  'FFC-TARGET-001': {
    fail: target(rule('favouriteColour', 'in', ['blue'])),
    pass: target(rule('plan', 'in', ['pro'])),
  },
  'FFC-TARGET-002': { fail: target(rule('plan', 'equals', ['pro'])), pass: target(rule('plan', 'notIn', ['pro'])) },
  'FFC-TARGET-003': { fail: target(rule('plan', 'in', [])), pass: target(rule('plan', 'in', ['pro'])) },
  'FFC-TARGET-004': {
    fail: target(rule('accountId', 'in', many(501))),
    pass: target(rule('accountId', 'in', many(500))),
  },
  'FFC-TARGET-005': {
    fail: target(...many(21, 'seg-').map((v) => rule('segment', v, ['x']))),
    pass: target(rule('segment', 'in', ['beta']), rule('segment', 'notIn', ['staff'])),
  },
  'FFC-TARGET-006': {
    fail: target(rule('plan', 'in', ['pro']), rule('plan', 'in', ['business'])),
    pass: target(rule('plan', 'in', ['pro', 'business'])),
  },
  'FFC-TARGET-007': { fail: target(rule('plan', 'in', ['pro', 'pro'])), pass: target(rule('plan', 'in', ['pro'])) },
  'FFC-TARGET-008': {
    fail: target(rule('accountAgeDays', 'gt', ['30'])),
    pass: target(rule('accountAgeDays', 'gt', [30])),
  },
  'FFC-TARGET-009': {
    fail: target(rule('appVersion', 'semverGte', ['5.2'])),
    pass: target(rule('appVersion', 'semverGte', ['5.2.0'])),
  },
  'FFC-TARGET-010': {
    fail: target(rule('segment', 'matches', ['beta-('])),
    pass: target(rule('segment', 'matches', ['^beta-'])),
  },
  'FFC-TARGET-011': {
    fail: target(rule('segment', 'matches', ['^(a+)+$'])),
    pass: target(rule('segment', 'matches', ['^a+$'])),
  },
  'FFC-TARGET-012': {
    fail: target(rule('country', 'in', ['Germany'])),
    pass: target(rule('country', 'in', ['DE', 'AT'])),
  },
  'FFC-TARGET-013': { fail: target(rule('platform', 'in', ['iPhone'])), pass: target(rule('platform', 'in', ['ios'])) },
  'FFC-TARGET-014': {
    fail: target(rule('plan', 'semverLt', ['1.0.0'])),
    pass: target(rule('osVersion', 'semverLt', ['17.0.0'])),
  },
  'FFC-TARGET-015': {
    fail: target(rule('email', 'endsWith', ['@example.com'])),
    pass: target(rule('userId', 'in', ['u-1'])),
  },
  'FFC-TARGET-016': {
    fail: target(rule('segment', 'in', ['s'.repeat(257)])),
    pass: target(rule('segment', 'in', ['s'.repeat(256)])),
  },
  'FFC-TARGET-017': {
    fail: target(rule('plan', 'in', ['pro']), rule('plan', 'notIn', ['pro'])),
    pass: target(rule('plan', 'in', ['pro']), rule('plan', 'notIn', ['free'])),
  },
  'FFC-TARGET-018': { fail: target(rule('userId', 'in', many(101))), pass: target(rule('userId', 'in', many(100))) },
  'FFC-TARGET-019': {
    fail: target(rule('accountId', 'in', [12345])),
    pass: target(rule('accountId', 'in', ['12345'])),
  },
  'FFC-TARGET-020': {
    fail: target(rule('segment', 'startsWith', ['b'])),
    pass: target(rule('segment', 'startsWith', ['be'])),
  },
  'FFC-TARGET-021': {
    fail: target(rule('language', 'in', ['english'])),
    pass: target(rule('language', 'in', ['en', 'de-AT', 'es-419', 'zh-Hant-TW', 'sr-Latn-RS'])),
  },
  'FFC-TARGET-022': { fail: target(rule('plan', 'in', ['gold'])), pass: target(rule('plan', 'in', ['enterprise'])) },
  'FFC-TARGET-023': {
    fail: target(rule('region', 'in', ['europe'])),
    pass: target(rule('region', 'in', ['eu-west-1'])),
  },
  'FFC-TARGET-024': {
    fail: target(rule('deviceType', 'in', ['phone'])),
    pass: target(rule('deviceType', 'in', ['mobile'])),
  },
};
