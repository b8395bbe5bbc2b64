import { asNewFlag, iso, MINUTE, RuleCases, Scenario } from '../support/scenario';

/** Target a tier-0 service of the owning team (checkout-api) or a tier-1 one (checkout-session). */
const tier = (n: 0 | 1) => (s: Scenario) => {
  const services = [n === 0 ? 'checkout-api' : 'checkout-session'];
  s.change.services = services;
  if (s.context.current) s.context.current = { ...s.context.current, services };
};
const lastChangeMinutesAgo = (minutes: number) => (s: Scenario) => {
  s.context.history = [{ version: 1, kind: 'change', changedAt: iso(-minutes * MINUTE), changedBy: 'jdoe' }];
};
const both =
  (...edits: ((s: Scenario) => void)[]) =>
  (s: Scenario) =>
    edits.forEach((edit) => edit(s));
const percent = (percentage: number) => (s: Scenario) => {
  s.change.rollout = { percentage };
};
const wasOff = (s: Scenario) => {
  s.context.current = { ...s.context.current!, value: false, rollout: undefined };
};

export const serviceTierCases: RuleCases = {
  'FFC-TIER-001': { fail: both(tier(0), lastChangeMinutesAgo(20)), pass: both(tier(0), lastChangeMinutesAgo(31)) },
  'FFC-TIER-002': { fail: both(tier(1), lastChangeMinutesAgo(10)), pass: both(tier(1), lastChangeMinutesAgo(16)) },
  'FFC-TIER-004': { fail: both(tier(1), wasOff, percent(6)), pass: both(tier(1), wasOff, percent(5)) },
  'FFC-TIER-006': {
    fail: both(
      tier(0),
      (s) => (s.change.targeting = [{ attribute: 'segment', operator: 'matches', values: ['^beta'] }]),
    ),
    pass: both(
      tier(0),
      (s) => (s.change.targeting = [{ attribute: 'segment', operator: 'startsWith', values: ['beta'] }]),
    ),
  },
  'FFC-TIER-008': {
    fail: both(tier(0), (s) => (s.change.prerequisites = [{ flagKey: 'checkout-base', value: true }])),
    pass: tier(0),
  },
  'FFC-TIER-009': {
    fail: both(asNewFlag, tier(0), percent(5)),
    pass: both(
      asNewFlag,
      tier(0),
      (s) => (s.change.value = false),
      (s) => (s.change.rollout = undefined),
    ),
  },
};
