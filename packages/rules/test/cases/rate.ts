import { ChangeKind } from '../../src';
import { HOUR, inQa, iso, MINUTE, RuleCases, Scenario } from '../support/scenario';

/** `count` earlier writes, spaced `spacing` apart, the newest `newest` before the change. */
const history =
  (count: number, spacing: number, kind: ChangeKind = 'change', newest = 40 * MINUTE, changedBy = 'asmith') =>
  (s: Scenario) => {
    s.context.history = Array.from({ length: count }, (_, i) => ({
      version: 1 - i,
      kind,
      changedAt: iso(-newest - i * spacing),
      changedBy,
    }));
  };
const asConnector = (kind: ChangeKind) => (s: Scenario) => {
  s.change.kind = kind;
  s.change.changedBy = 'ffc-validator';
};

/** The verifier rolled the flag back `minutes` ago; now the ramp goes on. */
const rolledBackMinutesAgo = (minutes: number) => (s: Scenario) => {
  s.context.history = [{ version: 1, kind: 'rollback', changedAt: iso(-minutes * MINUTE), changedBy: 'ffc-verifier' }];
};

export const rateCases: RuleCases = {
  'FFC-RATE-001': {
    fail: history(10, 2 * MINUTE, 'change', 31 * MINUTE - 18 * MINUTE + 5 * MINUTE),
    pass: history(9, 2 * MINUTE),
  },
  'FFC-RATE-002': { fail: history(30, 40 * MINUTE), pass: history(29, 40 * MINUTE) },
  'FFC-RATE-003': {
    fail: (s) => {
      inQa(s);
      history(60, 30_000, 'change', MINUTE)(s);
    },
    pass: (s) => {
      inQa(s);
      history(59, 30_000, 'change', MINUTE)(s);
    },
  },
  'FFC-RATE-004': { fail: history(1, HOUR, 'change', 4 * MINUTE), pass: history(1, HOUR, 'change', 5 * MINUTE) },
  'FFC-RATE-005': { fail: history(2, 2 * HOUR, 'rollback'), pass: history(1, 2 * HOUR, 'rollback') },
  'FFC-RATE-006': {
    fail: (s) => {
      asConnector('restore')(s);
      history(3, 5 * MINUTE, 'restore', MINUTE)(s);
    },
    pass: (s) => {
      asConnector('restore')(s);
      history(2, 5 * MINUTE, 'restore', MINUTE)(s);
    },
  },
  'FFC-RATE-007': {
    fail: (s) => {
      asConnector('rollback')(s);
      history(1, HOUR, 'rollback', 20 * MINUTE)(s);
    },
    pass: (s) => {
      asConnector('rollback')(s);
      history(1, HOUR, 'change', 20 * MINUTE)(s);
    },
  },
  'FFC-RATE-008': {
    fail: history(5, 3 * MINUTE, 'change', 40 * MINUTE, 'jdoe'),
    pass: history(5, 3 * MINUTE, 'change', 40 * MINUTE, 'asmith'),
  },
  'FFC-RATE-009': { fail: rolledBackMinutesAgo(30), pass: rolledBackMinutesAgo(61) },
};
