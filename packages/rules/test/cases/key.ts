import { asNewFlag, inQa, RuleCases } from '../support/scenario';

const key = (flagKey: string) => (s: { change: { flagKey: string } }) => {
  s.change.flagKey = flagKey;
};

export const namingCases: RuleCases = {
  'FFC-KEY-001': { fail: key('checkout_OneClick'), pass: key('checkout-one-click2') },
  'FFC-KEY-002': { fail: key('ab'), pass: key('abc') },
  'FFC-KEY-003': { fail: key(`a${'b'.repeat(64)}`), pass: key(`a${'b'.repeat(63)}`) },
  'FFC-KEY-004': { fail: key('checkout--one-click'), pass: key('checkout-one-click-express') },
  'FFC-KEY-005': { fail: key('checkout-one-click-'), pass: key('checkout-one-click-2') },
  'FFC-KEY-006': { fail: key('ffc-internal-switch'), pass: key('offc-switch') },
  'FFC-KEY-007': { fail: key('aws-appconfig-flag'), pass: key('awsome-flag') },
  'FFC-KEY-008': {
    fail: key('test-one-click'),
    pass: (s) => {
      key('test-one-click')(s);
      inQa(s);
    },
  },
  'FFC-KEY-009': {
    fail: key('tmp-one-click'),
    pass: (s) => {
      key('tmp-one-click')(s);
      s.change.temporary = true;
      s.change.expiresAt = '2025-04-01T00:00:00Z';
    },
  },
  'FFC-KEY-010': { fail: key('checkout-one-click-prod'), pass: key('checkout-ab-test') },
  'FFC-KEY-011': { fail: key('default'), pass: key('default-shipping') },
  'FFC-KEY-012': { fail: key('disable-one-click'), pass: key('enable-one-click') },
  'FFC-KEY-013': { fail: key('checkout-20250304'), pass: key('checkout-v2') },
  'FFC-KEY-014': {
    fail: (s) => {
      asNewFlag(s);
      key('payments-one-click')(s);
    },
    pass: key('checkout-payments'),
  },
};
