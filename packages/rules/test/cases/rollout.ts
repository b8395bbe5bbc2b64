import { asNewFlag, DAY, inQa, iso, MINUTE, RuleCases, Scenario } from '../support/scenario';

const percent = (percentage: number, bucketBy?: string) => (s: Scenario) => {
  s.change.rollout = bucketBy ? { percentage, bucketBy } : { percentage };
};
const lastChangeMinutesAgo = (minutes: number) => (s: Scenario) => {
  s.context.history = [{ version: 1, kind: 'change', changedAt: iso(-minutes * MINUTE), changedBy: 'jdoe' }];
};

/** Last known good is version `version` of the same content (the current version is 1). */
const lastKnownGoodAt = (version: number) => (s: Scenario) => {
  s.context.lastKnownGood = { ...s.context.current!, version };
};
/** A running production experiment at 5%. */
const experiment = (s: Scenario) => {
  const fields = {
    purpose: 'experiment' as const,
    temporary: true,
    expiresAt: iso(20 * DAY),
    variants: { on: 'treatment', off: 'control' },
  };
  Object.assign(s.change, fields);
  s.context.current = { ...s.context.current!, ...fields };
};

export const rolloutCases: RuleCases = {
  'FFC-ROLLOUT-001': { fail: percent(-1), pass: percent(0) },
  'FFC-ROLLOUT-002': { fail: percent(101), pass: percent(30) },
  'FFC-ROLLOUT-003': { fail: percent(10.125), pass: percent(10.25) },
  // 5% -> 13% grows 2.6-fold, 5% -> 12.5% exactly 2.5-fold.
  'FFC-ROLLOUT-004': { fail: percent(13), pass: percent(12.5) },
  'FFC-ROLLOUT-005': {
    fail: (s) => {
      asNewFlag(s);
      percent(20)(s);
    },
    pass: (s) => {
      asNewFlag(s);
      percent(10)(s);
    },
  },
  'FFC-ROLLOUT-006': {
    // On an existing flag going from 5% to 0% this is a turn-off, which a warning does not question.
    fail: (s) => {
      asNewFlag(s);
      percent(0)(s);
    },
    pass: percent(1),
  },
  'FFC-ROLLOUT-007': {
    fail: (s) => {
      inQa(s);
      percent(100)(s);
    },
    pass: (s) => {
      s.change.rollout = undefined;
      inQa(s);
    },
  },
  'FFC-ROLLOUT-008': { fail: percent(10, 'email'), pass: percent(10, 'accountId') },
  'FFC-ROLLOUT-009': {
    fail: (s) => {
      percent(10, 'sessionId')(s);
      s.context.current = { ...s.context.current!, rollout: { percentage: 5, bucketBy: 'sessionId' } };
    },
    pass: (s) => {
      percent(10, 'sessionId')(s);
      s.context.current = { ...s.context.current!, rollout: { percentage: 5, bucketBy: 'sessionId' } };
      inQa(s);
    },
  },
  'FFC-ROLLOUT-010': {
    fail: percent(10, 'accountId'),
    pass: (s) => {
      percent(10, 'accountId')(s);
      s.context.current = { ...s.context.current!, rollout: { percentage: 5, bucketBy: 'accountId' } };
    },
  },
  'FFC-ROLLOUT-011': { fail: lastChangeMinutesAgo(10), pass: lastChangeMinutesAgo(16) },
  'FFC-ROLLOUT-012': {
    fail: (s) => {
      s.change.value = false;
      s.context.current = { ...s.context.current!, value: false };
    },
    pass: (s) => {
      s.change.value = false;
      s.change.rollout = undefined;
      s.context.current = { ...s.context.current!, value: false, rollout: undefined };
    },
  },
  'FFC-ROLLOUT-013': {
    // 5% of 30, then 10% of 40: the first rollout was never finished.
    fail: (s) => {
      Object.assign(s.change, { type: 'number', value: 40 });
      s.context.current = { ...s.context.current!, type: 'number', value: 30 };
    },
    pass: (s) => {
      Object.assign(s.change, { type: 'number', value: 40 });
      s.context.current = { ...s.context.current!, type: 'number', value: 30, rollout: undefined };
    },
  },
  'FFC-ROLLOUT-014': {
    // Still at 5%, and a second service joins: a second ramp inside the first.
    fail: (s) => {
      percent(5)(s);
      s.change.services = ['checkout-receipt', 'checkout-tax'];
    },
    pass: (s) => {
      s.change.rollout = undefined;
      s.change.services = ['checkout-receipt', 'checkout-tax'];
      s.context.current = { ...s.context.current!, rollout: undefined };
    },
  },
  'FFC-ROLLOUT-015': {
    fail: lastKnownGoodAt(0),
    pass: lastKnownGoodAt(1),
  },
  'FFC-ROLLOUT-016': {
    fail: experiment,
    pass: (s) => {
      experiment(s);
      percent(5)(s);
      s.change.description = 'One-click checkout experiment for returning customers';
    },
  },
  'FFC-ROLLOUT-017': {
    fail: (s) => {
      experiment(s);
      s.change.rollout = undefined;
    },
    pass: (s) => {
      experiment(s);
      s.change.rollout = undefined;
      s.change.targeting = [{ attribute: 'country', operator: 'in', values: ['DE'] }];
    },
  },
};
