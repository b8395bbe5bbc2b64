import { asNewFlag, RuleCases, Scenario } from '../support/scenario';

const system = (kind: 'restore' | 'rollback') => (s: Scenario) => {
  s.change.kind = kind;
  s.change.changedBy = 'ffc-validator';
};

export const versioningCases: RuleCases = {
  'FFC-VER-001': { fail: (s) => void (s.change.version = 2.5), pass: (s) => void (s.change.version = 2) },
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
  'FFC-VER-003': { fail: (s) => void (s.change.version = 4), pass: (s) => void (s.change.version = 2) },
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
  },
  'FFC-VER-006': {
    fail: (s) => void (s.change.changedBy = 'ffc-validator'),
    pass: (s) => void (s.change.changedBy = 'jdoe'),
  },
  'FFC-VER-007': {
    fail: (s) => void (s.change.kind = 'rollback'),
    pass: system('rollback'),
  },
  'FFC-VER-008': {
    fail: (s) => {
      s.context.current = { ...s.context.current!, stage: 'qa' };
    },
  },
};
