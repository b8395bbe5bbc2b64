import { DAY, iso, RuleCases, Scenario } from '../support/scenario';

const temporary =
  (expiresAt: string | undefined, isTemporary: boolean | undefined = true) =>
  (s: Scenario) => {
    s.change.temporary = isTemporary;
    s.change.expiresAt = expiresAt;
  };

export const lifecycleCases: RuleCases = {
  'FFC-TEMP-001': { fail: temporary(undefined), pass: temporary(iso(30 * DAY)) },
  'FFC-TEMP-002': { fail: temporary(iso(30 * DAY), false), pass: temporary(iso(30 * DAY)) },
  'FFC-TEMP-003': { fail: temporary('next month'), pass: temporary('2025-04-01T00:00:00Z') },
  'FFC-TEMP-004': { fail: temporary(iso(-DAY)), pass: temporary(iso(2 * DAY)) },
  'FFC-TEMP-005': { fail: temporary(iso(91 * DAY)), pass: temporary(iso(90 * DAY)) },
  'FFC-TEMP-006': { fail: temporary(iso(DAY / 2)), pass: temporary(iso(DAY)) },
  'FFC-TEMP-007': {
    fail: (s) => {
      s.context.current = { ...s.context.current!, temporary: true, expiresAt: iso(-DAY), value: false };
      temporary(iso(-DAY))(s);
    },
    pass: (s) => {
      s.context.current = { ...s.context.current!, temporary: true, expiresAt: iso(-DAY) };
      temporary(iso(20 * DAY))(s);
    },
  },
  'FFC-TEMP-008': {
    fail: (s) => {
      s.change.services = ['checkout-api'];
      s.context.current = { ...s.context.current!, services: ['checkout-api'] };
      temporary(iso(45 * DAY))(s);
    },
    pass: (s) => {
      s.change.services = ['checkout-api'];
      s.context.current = { ...s.context.current!, services: ['checkout-api'] };
      temporary(iso(30 * DAY))(s);
    },
  },
};
