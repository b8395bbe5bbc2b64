import { FlagPurpose } from '../../src';
import { asNewFlag, DAY, iso, RuleCases, Scenario } from '../support/scenario';

const temporary =
  (expiresAt: string | undefined, isTemporary: boolean | undefined = true) =>
  (s: Scenario) => {
    s.change.temporary = isTemporary;
    s.change.expiresAt = expiresAt;
  };

/** A release flag created `days` ago that expires in `expiresIn` days. */
const release =
  (createdDaysAgo: number, expiresIn = 10, purpose: FlagPurpose = 'release') =>
  (s: Scenario) => {
    Object.assign(s.change, { purpose, temporary: true, expiresAt: iso(expiresIn * DAY) });
    s.context.current = { ...s.context.current!, purpose, temporary: true, expiresAt: iso(expiresIn * DAY) };
    s.context.createdAt = iso(-createdDaysAgo * DAY);
  };
/** The current version was written `days` ago. */
const currentFrom = (days: number) => (s: Scenario) => {
  s.context.current = { ...s.context.current!, changedAt: iso(-days * DAY) };
};
const servingEveryone = (s: Scenario) => {
  temporary(iso(20 * DAY))(s);
  s.change.rollout = undefined;
  s.change.description = 'One-click checkout for returning customers, fully launched';
  s.context.current = { ...s.context.current!, rollout: undefined, temporary: true, expiresAt: iso(20 * DAY) };
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
  'FFC-TEMP-009': { fail: release(41), pass: release(39) },
  'FFC-TEMP-010': {
    fail: (s) => void (s.change.purpose = 'release'),
    pass: (s) => Object.assign(s.change, { purpose: 'release', temporary: true, expiresAt: iso(10 * DAY) }),
  },
  // Created 10 days ago: expiring in 35 days is 45 days after creation, 25 days is 35.
  'FFC-TEMP-011': { fail: release(10, 35), pass: release(10, 25) },
  'FFC-TEMP-012': { fail: currentFrom(31), pass: currentFrom(29) },
  'FFC-TEMP-013': {
    fail: (s) => {
      servingEveryone(s);
      currentFrom(15)(s);
    },
    pass: (s) => {
      servingEveryone(s);
      currentFrom(13)(s);
    },
  },
  'FFC-TEMP-014': {
    fail: (s) => void (s.context.archiving = true),
    pass: (s) => {
      s.context.archiving = true;
      s.change.rollout = undefined;
      s.context.current = { ...s.context.current!, rollout: undefined };
    },
  },
  'FFC-TEMP-015': {
    fail: (s) => {
      release(20)(s);
      Object.assign(s.change, { purpose: 'permanent', temporary: undefined, expiresAt: undefined, value: false });
      s.change.rollout = undefined;
    },
    pass: (s) => {
      release(20)(s);
      Object.assign(s.change, { purpose: 'permanent', temporary: undefined, expiresAt: undefined });
    },
  },
  'FFC-TEMP-016': {
    fail: (s) => {
      asNewFlag(s);
      s.change.rollout = { percentage: 5 };
    },
    pass: (s) => {
      asNewFlag(s);
      Object.assign(s.change, {
        rollout: { percentage: 5 },
        purpose: 'release',
        temporary: true,
        expiresAt: iso(30 * DAY),
      });
    },
  },
};
