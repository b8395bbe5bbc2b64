import { RuleCases, Scenario } from '../support/scenario';

const killSwitch = (s: Scenario) => {
  s.change.flagKey = 'kill-one-click';
  s.change.tags = ['kill-switch'];
  s.change.rollout = undefined;
  s.context.current = { ...s.context.current!, flagKey: 'kill-one-click', tags: ['kill-switch'], rollout: undefined };
};
const killSwitchWith = (edit: (s: Scenario) => void) => (s: Scenario) => {
  killSwitch(s);
  edit(s);
};

export const killSwitchCases: RuleCases = {
  'FFC-KILL-001': {
    fail: killSwitchWith((s) => {
      s.change.type = 'string';
      s.change.value = 'off';
    }),
    pass: killSwitch,
  },
  'FFC-KILL-002': {
    fail: killSwitchWith((s) => {
      s.change.temporary = true;
      s.change.expiresAt = '2025-04-01T00:00:00Z';
    }),
    pass: killSwitch,
  },
  'FFC-KILL-003': { fail: killSwitchWith((s) => (s.change.rollout = { percentage: 50 })), pass: killSwitch },
  'FFC-KILL-004': {
    fail: killSwitchWith((s) => (s.change.targeting = [{ attribute: 'country', operator: 'in', values: ['DE'] }])),
    pass: killSwitch,
  },
  'FFC-KILL-005': {
    fail: killSwitchWith((s) => (s.change.prerequisites = [{ flagKey: 'checkout-base', value: true }])),
    pass: killSwitch,
  },
  'FFC-KILL-006': { fail: killSwitchWith((s) => (s.change.tags = [])), pass: killSwitch },
  'FFC-KILL-007': { fail: killSwitchWith((s) => (s.change.flagKey = 'checkout-off-switch')), pass: killSwitch },
  'FFC-KILL-008': {
    fail: killSwitchWith((s) => {
      s.context.archiving = true;
      s.change.value = true;
      s.context.current = { ...s.context.current!, value: true };
    }),
    pass: killSwitchWith((s) => {
      s.context.archiving = true;
      s.change.value = false;
      s.context.current = { ...s.context.current!, value: false };
    }),
  },
};
