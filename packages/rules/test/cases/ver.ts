import { asNewFlag, RuleCases, Scenario } from '../support/scenario';

const system = (kind: 'restore' | 'rollback') => (s: Scenario) => {
  s.change.kind = kind;
  s.change.changedBy = 'ffc-validator';
};

/** The change replaces version `current` (so it is version `current + 1`). */
const replacing = (current: number) => (s: Scenario) => {
  s.context.current = { ...s.context.current!, version: current };
  s.change.version = current + 1;
};

export const versioningCases: RuleCases = {
  'FFC-VER-001': { fail: (s) => void (s.change.version = 2.5), pass: replacing(2) },
  'FFC-VER-002': {
    fail: (s) => {
      asNewFlag(s);
      s.change.version = 3;
      s.change.rollout = { percentage: 5 };
    },
    pass: (s) => {
      asNewFlag(s);
      s.change.rollout = { percentage: 5 };
    },
  },
  'FFC-VER-003': { fail: (s) => void (s.change.version = 4), pass: replacing(4) },
  'FFC-VER-004': {
    fail: (s) => {
      asNewFlag(s);
      system('restore')(s);
    },
    pass: system('restore'),
  },
  'FFC-VER-005': {
    fail: (s) => {
      s.change.rollout = { percentage: 5 };
    },
    // The same rollout with a new tag changes what people search the flag by.
    pass: (s) => {
      s.change.rollout = { percentage: 5 };
      s.change.tags = ['checkout'];
    },
  },
  'FFC-VER-006': {
    fail: (s) => void (s.change.changedBy = 'ffc-validator'),
    pass: (s) => void (s.change.changedBy = 'ffcfan'),
  },
  'FFC-VER-007': {
    fail: (s) => void (s.change.kind = 'rollback'),
    pass: system('rollback'),
  },
  'FFC-VER-008': {
    fail: (s) => {
      s.context.current = { ...s.context.current!, stage: 'qa' };
    },
    // The same flag and stage, written with an older description.
    pass: (s) => {
      s.context.current = { ...s.context.current!, description: 'One-click checkout (first draft)' };
    },
  },
  'FFC-VER-009': {
    // The verifier "rolls back" to 10% while last known good served 5%.
    fail: (s) => {
      system('rollback')(s);
      s.context.lastKnownGood = s.context.current;
    },
    pass: (s) => {
      system('rollback')(s);
      s.change.rollout = { percentage: 5 };
      s.context.lastKnownGood = s.context.current;
    },
  },
};
