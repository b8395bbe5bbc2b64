import { HOUR, inQa, iso, RuleCases, Scenario } from '../support/scenario';

const set = (field: string, value: unknown) => (s: Scenario) => {
  s.change[field] = value;
};
/** Windows Mon-Fri 09:00-17:00 UTC; the clean change is on a Tuesday at 10:00. */
const windows = (s: Scenario) => {
  s.context.changeWindows = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }];
};
const asKillSwitch = (s: Scenario) => {
  s.change.flagKey = 'kill-one-click';
  s.change.tags = ['kill-switch'];
  s.change.rollout = undefined;
  s.context.current = { ...s.context.current!, flagKey: 'kill-one-click', tags: ['kill-switch'], rollout: undefined };
};
const freeze = (s: Scenario) => {
  s.context.freezes = [{ from: iso(-HOUR), to: iso(HOUR), reason: 'spring sale' }];
};

const tier0 = (s: Scenario) => {
  s.change.services = ['checkout-api'];
  s.context.current = { ...s.context.current!, services: ['checkout-api'] };
};
/** A new number flag (a timeout) for every service, owned by the platform team, at a rollout of `percentage`. */
const allServices = (percentage: number | undefined) => (s: Scenario) => {
  Object.assign(s.change, { owner: 'platform', flagKey: 'shared-timeout-ms', services: ['*'], type: 'number' });
  s.change.value = 3000;
  s.change.rollout = percentage === undefined ? undefined : { percentage };
  s.change.version = 1;
  s.context.current = undefined;
  s.context.history = [];
};

export const governanceCases: RuleCases = {
  'FFC-PROD-001': {
    fail: set('ticket', undefined),
    pass: (s) => {
      set('ticket', undefined)(s);
      inQa(s);
    },
  },
  'FFC-PROD-002': { fail: set('ticket', 'chk 1234'), pass: set('ticket', 'CHK-1') },
  'FFC-PROD-003': { fail: set('reason', 'ramp up'), pass: set('reason', 'ramp to 10%') },
  'FFC-PROD-004': {
    fail: (s) => {
      windows(s);
      s.change.changedAt = iso(8 * HOUR); // 18:00
      s.context.now = Date.parse(s.change.changedAt);
    },
    pass: windows,
  },
  'FFC-PROD-005': {
    fail: freeze,
    pass: (s) => {
      freeze(s);
      asKillSwitch(s);
      s.change.reason = 'EMERGENCY: checkout errors at 30%';
    },
  },
  'FFC-PROD-006': { fail: set('stage', 'live-eu'), pass: inQa },
  'FFC-PROD-007': { fail: set('changedAt', iso(10 * 60_000)), pass: set('changedAt', iso(60_000)) },
  'FFC-PROD-008': {
    fail: set('changedAt', '04/03/2025 10:00'),
    pass: set('changedAt', '2025-03-04T10:00:00.000+00:00'),
  },
  'FFC-PROD-009': {
    fail: set('changedBy', 'svc-deployer'),
    pass: (s) => {
      set('changedBy', 'svc-deployer')(s);
      inQa(s);
    },
  },
  'FFC-PROD-010': {
    fail: set('reason', 'wip'),
    pass: (s) => {
      set('reason', 'wip')(s);
      inQa(s);
    },
  },
  'FFC-PROD-011': {
    fail: set('reason', 'EMERGENCY: checkout is down'),
    pass: (s) => {
      asKillSwitch(s);
      s.change.reason = 'EMERGENCY: checkout is down';
    },
  },
  'FFC-PROD-012': {
    fail: (s) => {
      s.context.production = false;
    },
    pass: inQa,
  },
  'FFC-PROD-013': {
    fail: allServices(undefined),
    // Once created, a flag for every service ramps to 100% like any other (it used to be capped at 50%).
    pass: (s) => {
      allServices(undefined)(s);
      s.context.current = { ...s.change, version: 1, rollout: { percentage: 50 }, changedAt: iso(-HOUR) } as never;
      s.change.version = 2;
      s.context.history = [{ version: 1, kind: 'change', changedAt: iso(-HOUR), changedBy: 'jdoe' }];
    },
  },
  'FFC-PROD-014': { fail: set('changedBy', 'admin'), pass: set('changedBy', 'admin.jane') },
  'FFC-PROD-015': {
    fail: (s) => {
      s.change.changedAt = iso(-25 * HOUR);
      s.context.history = [];
    },
    pass: (s) => {
      s.change.changedAt = iso(-23 * HOUR);
      s.context.current = { ...s.context.current!, changedAt: iso(-24 * HOUR) };
      s.context.history = [];
    },
  },
  'FFC-PROD-016': {
    fail: (s) => {
      tier0(s);
      s.change.approvedBy = 'jdoe'; // the author approving their own change
    },
    pass: (s) => {
      tier0(s);
      s.change.approvedBy = 'asmith';
    },
  },
  'FFC-PROD-017': {
    fail: (s) => void (s.change.approvedBy = undefined),
    // A metadata edit at the same exposure changes nothing that is served: no approval needed.
    pass: (s) => {
      s.change.approvedBy = undefined;
      s.change.rollout = { percentage: 5 };
      s.change.description = 'One-click checkout for returning customers (see CHK-1234)';
    },
  },
  'FFC-PROD-018': {
    fail: (s) => void (s.change.approvedBy = 'ci-pipeline'),
    pass: (s) => void (s.change.approvedBy = 'bsmith'),
  },
  'FFC-PROD-019': {
    // Targeting is new content, known not to have run in staging.
    fail: (s) => {
      s.change.targeting = [{ attribute: 'country', operator: 'in', values: ['DE'] }];
      s.context.ranInLowerStage = false;
    },
    pass: (s) => {
      s.change.targeting = [{ attribute: 'country', operator: 'in', values: ['DE'] }];
      s.context.ranInLowerStage = true;
    },
  },
  'FFC-PROD-020': {
    fail: (s) => void (s.context.authenticatedWriter = 'mallory'),
    pass: (s) => void (s.context.authenticatedWriter = 'jdoe'),
  },
};
