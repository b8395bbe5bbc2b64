import { FlagChange, JsonValue } from '../../src';
import { DAY, iso, prerequisiteFlag, RuleCases, Scenario } from '../support/scenario';

const requires =
  (...flags: FlagChange[]) =>
  (s: Scenario) => {
    s.change.prerequisites = flags.map((f) => ({ flagKey: f.flagKey, value: f.value }));
    s.context.prerequisites = flags;
  };
const base = prerequisiteFlag('checkout-base');
/** checkout-express, which serves only while this flag serves `value`. */
const dependent = (value: number) =>
  prerequisiteFlag('checkout-express', { prerequisites: [{ flagKey: 'checkout-one-click', value }] });

/** checkout-express, which serves only while this flag serves `value` to the same unit. */
const requiring = (value: JsonValue) =>
  prerequisiteFlag('checkout-express', { prerequisites: [{ flagKey: 'checkout-one-click', value }] });
/** A string flag serving 'dark' to 10% and its off value 'light' to everyone else. */
const darkMode = (s: Scenario) => {
  Object.assign(s.change, { type: 'string', value: 'dark', offValue: 'light' });
  s.context.current = { ...s.context.current!, type: 'string', value: 'dark', offValue: 'light' };
};

export const prerequisiteCases: RuleCases = {
  'FFC-PREREQ-001': {
    fail: requires(...['a', 'b', 'c', 'd', 'e', 'f'].map((k) => prerequisiteFlag(`checkout-${k}${k}`))),
    pass: requires(...['a', 'b', 'c', 'd', 'e'].map((k) => prerequisiteFlag(`checkout-${k}${k}`))),
  },
  'FFC-PREREQ-002': {
    fail: (s) => {
      s.change.prerequisites = [{ flagKey: 'checkout-missing', value: true }];
    },
    pass: requires(base),
  },
  'FFC-PREREQ-003': {
    fail: (s) => {
      s.change.prerequisites = [{ flagKey: s.change.flagKey, value: true }];
    },
    pass: requires(base),
  },
  'FFC-PREREQ-004': {
    fail: (s) => {
      requires(base)(s);
      s.change.prerequisites = [...s.change.prerequisites!, { flagKey: 'checkout-base', value: true }];
    },
    pass: requires(base, prerequisiteFlag('checkout-core')),
  },
  'FFC-PREREQ-005': {
    fail: (s) => {
      requires(base)(s);
      s.change.prerequisites = [{ flagKey: 'checkout-base', value: 'on' }];
    },
    pass: requires(base),
  },
  'FFC-PREREQ-006': {
    fail: (s) => {
      const a = prerequisiteFlag('checkout-aa', { prerequisites: [{ flagKey: 'checkout-bb', value: true }] });
      const b = prerequisiteFlag('checkout-bb', { prerequisites: [{ flagKey: 'checkout-one-click', value: true }] });
      requires(a)(s);
      s.context.prerequisites = [a, b];
    },
    // The same chain that ends elsewhere.
    pass: (s) => {
      const a = prerequisiteFlag('checkout-aa', { prerequisites: [{ flagKey: 'checkout-bb', value: true }] });
      requires(a)(s);
      s.context.prerequisites = [a, prerequisiteFlag('checkout-bb')];
    },
  },
  'FFC-PREREQ-007': {
    fail: (s) => {
      const chain = ['aa', 'bb', 'cc', 'dd'].map((k, i, all) =>
        prerequisiteFlag(
          `checkout-${k}`,
          i + 1 < all.length ? { prerequisites: [{ flagKey: `checkout-${all[i + 1]}`, value: true }] } : {},
        ),
      );
      requires(chain[0])(s);
      s.context.prerequisites = chain;
    },
    pass: (s) => {
      const chain = ['aa', 'bb', 'cc'].map((k, i, all) =>
        prerequisiteFlag(
          `checkout-${k}`,
          i + 1 < all.length ? { prerequisites: [{ flagKey: `checkout-${all[i + 1]}`, value: true }] } : {},
        ),
      );
      requires(chain[0])(s);
      s.context.prerequisites = chain;
    },
  },
  'FFC-PREREQ-008': {
    fail: requires(prerequisiteFlag('checkout-trial', { temporary: true, expiresAt: iso(10 * DAY) })),
    pass: requires(base),
  },
  'FFC-PREREQ-009': {
    fail: (s) => {
      requires(prerequisiteFlag('checkout-trial', { temporary: true, expiresAt: iso(10 * DAY) }))(s);
      s.change.temporary = true;
      s.change.expiresAt = iso(20 * DAY);
    },
    pass: (s) => {
      requires(prerequisiteFlag('checkout-trial', { temporary: true, expiresAt: iso(30 * DAY) }))(s);
      s.change.temporary = true;
      s.change.expiresAt = iso(20 * DAY);
    },
  },
  'FFC-PREREQ-010': {
    fail: (s) => {
      s.change.prerequisites = [{ flagKey: 'Checkout Base', value: true }];
    },
    pass: requires(base),
  },
  'FFC-PREREQ-011': {
    fail: requires(prerequisiteFlag('checkout-base', { services: ['checkout-tax'] })),
    pass: requires(prerequisiteFlag('checkout-base', { services: ['checkout-tax', 'checkout-receipt'] })),
  },
  'FFC-PREREQ-012': {
    fail: (s) => {
      requires(base)(s);
      s.context.prerequisites = [prerequisiteFlag('checkout-base', { value: false })];
    },
    pass: requires(base),
  },
  'FFC-PREREQ-013': {
    // A dependent requires 30, which the change replaces.
    fail: (s) => {
      Object.assign(s.change, { type: 'number', value: 40 });
      s.context.current = { ...s.context.current!, type: 'number', value: 30, rollout: undefined };
      s.context.dependents = [dependent(30)];
    },
    pass: (s) => {
      Object.assign(s.change, { type: 'number', value: 40 });
      s.context.current = { ...s.context.current!, type: 'number', value: 30, rollout: undefined };
      s.context.dependents = [dependent(40)];
    },
  },
  'FFC-PREREQ-014': {
    // checkout-express needs the units that get the off value 'light'; the off value becomes 'classic'.
    fail: (s) => {
      darkMode(s);
      s.change.offValue = 'classic';
      s.context.dependents = [requiring('light')];
    },
    pass: (s) => {
      darkMode(s);
      s.change.offValue = 'classic';
      s.context.dependents = [requiring('dark')];
    },
  },
  'FFC-PREREQ-015': {
    fail: (s) => {
      s.context.archiving = true;
      s.context.dependents = [requiring(true)];
    },
    pass: (s) => {
      s.context.archiving = true;
      s.context.dependents = [];
    },
  },
  'FFC-PREREQ-016': {
    fail: (s) => {
      Object.assign(s.change, { temporary: true, expiresAt: iso(20 * DAY) });
      s.context.dependents = [requiring(true)];
    },
    pass: (s) => {
      Object.assign(s.change, { temporary: true, expiresAt: iso(20 * DAY) });
      s.context.dependents = [{ ...requiring(true), temporary: true, expiresAt: iso(10 * DAY) }];
    },
  },
  'FFC-PREREQ-017': {
    fail: (s) => {
      s.context.current = { ...s.context.current!, services: ['checkout-receipt', 'checkout-tax'] };
      s.context.dependents = [{ ...requiring(true), services: ['checkout-tax'] }];
    },
    pass: (s) => {
      s.context.current = { ...s.context.current!, services: ['checkout-receipt', 'checkout-tax'] };
      s.context.dependents = [{ ...requiring(true), services: ['checkout-receipt'] }];
    },
  },
};
