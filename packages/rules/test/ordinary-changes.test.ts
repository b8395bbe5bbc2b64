import { ChangeWindow, createValidationContext, FlagChange, HistoryEntry, validateChange } from '../src';
import { DAY, HOUR, iso, MINUTE, NOW } from './support/scenario';

/**
 * The changes users make every day, with the verdict a reviewer of a flag platform would give in each
 * policy: `[]` means the change goes through (warnings allowed), otherwise the rules that refuse it.
 * The flag: checkout's boolean `checkout-one-click` for one tier-2 service, last changed an hour ago,
 * now (Tuesday 10:00 UTC) inside production's change window (Mon-Fri 09:00-17:00); each change is approved
 * by a second person and ran in staging first, unless the row says otherwise.
 */
const flag = (overrides: Partial<FlagChange> = {}): FlagChange => ({
  flagKey: 'checkout-one-click',
  stage: 'live',
  type: 'boolean',
  value: true,
  services: ['checkout-receipt'],
  owner: 'checkout',
  description: 'One-click checkout for returning customers',
  changedBy: 'jdoe',
  reason: 'Ramp one-click checkout after the A/B test won',
  ticket: 'CHK-1234',
  approvedBy: 'asmith',
  version: 4,
  kind: 'change',
  changedAt: iso(-HOUR),
  ...overrides,
});

const WINDOWS: ChangeWindow[] = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }];

interface Row {
  /** The version the change replaces (undefined: a new flag). */
  readonly from: Partial<FlagChange> | undefined;
  /** What the change writes, over `from`. */
  readonly to: Partial<FlagChange>;
  readonly context?: {
    readonly now?: number;
    readonly history?: HistoryEntry[];
    readonly changeWindows?: ChangeWindow[];
    readonly timeZone?: string;
    readonly freezes?: { from: string; to: string; reason: string }[];
    readonly lastKnownGood?: Partial<FlagChange>;
    readonly ranInLowerStage?: boolean;
  };
  readonly production: readonly string[];
  readonly test: readonly string[];
}

const lastChange = (minutesAgo: number, kind: HistoryEntry['kind'] = 'change'): HistoryEntry[] => [
  { version: 4, kind, changedAt: iso(-minutesAgo * MINUTE), changedBy: kind === 'change' ? 'jdoe' : 'ffc-verifier' },
];
const twoRollbacks: HistoryEntry[] = [
  { version: 2, kind: 'rollback', changedAt: iso(-5 * HOUR), changedBy: 'ffc-verifier' },
  { version: 4, kind: 'rollback', changedAt: iso(-2 * MINUTE), changedBy: 'ffc-verifier' },
];
const timeout = (value: number, more: Partial<FlagChange> = {}) => ({
  flagKey: 'checkout-timeout-ms',
  description: 'Timeout of the receipt renderer, in milliseconds',
  type: 'number' as const,
  value,
  ...more,
});
const at = (utc: string) => Date.parse(utc);
const temporary = (expiresInDays: number) => ({ temporary: true, expiresAt: iso(expiresInDays * DAY) });
const killSwitch = (value: boolean) => ({
  flagKey: 'kill-one-click',
  description: 'Switches one-click checkout off for everyone',
  tags: ['kill-switch'],
  value,
});

const ROWS: Record<string, Row> = {
  // turning on
  'turn a flag on at 10%': {
    from: { value: false },
    to: { value: true, rollout: { percentage: 10 } },
    production: [],
    test: [],
  },
  'turn a flag on for everyone at once': {
    from: { value: false },
    to: { value: true },
    production: ['FFC-ROLLOUT-004'],
    test: [],
  },
  'create a flag at 10%': {
    from: undefined,
    to: { version: 1, rollout: { percentage: 10 }, purpose: 'release', ...temporary(30) },
    production: [],
    test: [],
  },
  'create a flag without saying what it is for': {
    from: undefined,
    to: { version: 1, rollout: { percentage: 10 } },
    production: ['FFC-TEMP-016'],
    test: [],
  },
  'engage a kill switch': { from: killSwitch(false), to: killSwitch(true), production: [], test: [] },
  'engage a kill switch outside the change window': {
    from: killSwitch(false),
    to: killSwitch(true),
    context: { now: at('2025-03-04T20:00:00Z') },
    production: [],
    test: [],
  },
  // Releasing the brake turns the feature back on for everyone: an ordinary change, not a safety valve.
  'release an engaged kill switch outside the change window': {
    from: killSwitch(true),
    to: killSwitch(false),
    context: { now: at('2025-03-04T20:00:00Z') },
    production: ['FFC-PROD-004'],
    test: [],
  },
  // turning off: the safety valve, whatever the pace rules say
  'turn a flag off': { from: {}, to: { value: false }, production: [], test: [] },
  'turn a flag off two minutes after the last change': {
    from: {},
    to: { value: false },
    context: { history: lastChange(2) },
    production: [],
    test: [],
  },
  'turn a flag off outside the change window and during a freeze': {
    from: {},
    to: { value: false },
    context: { now: at('2025-03-04T22:00:00Z'), freezes: [{ from: iso(-DAY), to: iso(DAY), reason: 'sale' }] },
    production: [],
    test: [],
  },
  'turn a flag off after two rollbacks today': {
    from: {},
    to: { value: false },
    context: { history: twoRollbacks },
    production: [],
    test: [],
  },
  'turn off an expired temporary flag': {
    from: temporary(-1),
    to: { ...temporary(-1), value: false },
    production: [],
    test: [],
  },
  'turn off a flag on tier-0 services a minute after the last change': {
    from: { services: ['checkout-api'] },
    to: { services: ['checkout-api'], value: false },
    context: { history: lastChange(1) },
    production: [],
    test: [],
  },
  // Everyone then gets the off value, which the change declares (a flag that reached everyone had none).
  'turn off a number flag by a rollout of 0%': {
    from: timeout(30),
    to: timeout(30, { rollout: { percentage: 0 }, offValue: 20 }),
    production: [],
    test: [],
  },
  'turn off a number flag without saying what everyone gets instead': {
    from: timeout(30),
    to: timeout(30, { rollout: { percentage: 0 } }),
    production: ['FFC-TYPE-028'],
    test: ['FFC-TYPE-028'],
  },
  // editing a value
  'edit a timeout from 30 to 40': { from: timeout(30), to: timeout(40), production: [], test: [] },
  'edit a timeout that never ran in staging': {
    from: timeout(30),
    to: timeout(40),
    context: { ranInLowerStage: false },
    production: ['FFC-PROD-019'],
    test: ['FFC-PROD-019'],
  },
  'edit a timeout from 30 to 3000 (a typo)': {
    from: timeout(30),
    to: timeout(3000),
    production: [], // FFC-TYPE-022 warns
    test: [],
  },
  // ramping
  'ramp 10% to 20%': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    production: [],
    test: [],
  },
  'ramp 20% to 50%': {
    from: { rollout: { percentage: 20 } },
    to: { rollout: { percentage: 50 } },
    production: [],
    test: [],
  },
  'ramp without a second person’s approval': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 }, approvedBy: undefined },
    production: ['FFC-PROD-017'],
    test: [],
  },
  'ramp while the last step is still being verified': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    context: { lastKnownGood: { rollout: { percentage: 5 }, version: 3 } },
    production: ['FFC-ROLLOUT-015'],
    test: [],
  },
  'ramp 50% to 100%': { from: { rollout: { percentage: 50 } }, to: {}, production: [], test: [] },
  'ramp 10% to 100% at once': {
    from: { rollout: { percentage: 10 } },
    to: {},
    production: ['FFC-ROLLOUT-004'],
    test: [],
  },
  'ramp again five minutes after the last step': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    context: { history: lastChange(5) },
    production: ['FFC-ROLLOUT-011'],
    test: [],
  },
  'ramp outside the change window': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    context: { now: at('2025-03-04T20:00:00Z') },
    production: ['FFC-PROD-004'],
    test: [],
  },
  'ramp in a window across midnight (22:00-02:00), at 01:00': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    context: { now: at('2025-03-05T01:00:00Z'), changeWindows: [{ days: ['tue'], start: '22:00', end: '02:00' }] },
    production: [],
    test: [],
  },
  'ramp in a window across midnight (22:00-02:00), at 03:00': {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    context: { now: at('2025-03-05T03:00:00Z'), changeWindows: [{ days: ['tue'], start: '22:00', end: '02:00' }] },
    production: ['FFC-PROD-004'],
    test: [],
  },
  "ramp at 08:30 UTC inside Berlin's 09:00-17:00 window (09:30 CET)": {
    from: { rollout: { percentage: 10 } },
    to: { rollout: { percentage: 20 } },
    context: { now: at('2025-03-04T08:30:00Z'), timeZone: 'Europe/Berlin' },
    production: [],
    test: [],
  },
  // widening the scope
  'widen a fully rolled-out flag to a second region': {
    from: { regions: ['eu-west-1'] },
    to: { regions: ['eu-west-1', 'eu-central-1'] },
    production: [],
    test: [],
  },
  'widen a fully rolled-out flag from one region to all twelve': {
    from: { regions: ['eu-west-1'] },
    to: { regions: undefined },
    production: ['FFC-ROLLOUT-004'],
    test: [],
  },
  'widen a flag to a second service of the team': {
    from: {},
    to: { services: ['checkout-receipt', 'checkout-web'] },
    production: [],
    test: [],
  },
  // ownership, expiry, rollback
  'transfer a flag to the team that runs its other service': {
    from: { services: ['checkout-receipt', 'payments-ledger'] },
    to: { services: ['checkout-receipt', 'payments-ledger'], owner: 'payments' },
    production: [],
    test: [],
  },
  'transfer ownership and change the value together': {
    from: { services: ['checkout-receipt', 'payments-ledger'] },
    to: { services: ['checkout-receipt', 'payments-ledger'], owner: 'payments', value: false },
    production: ['FFC-OWNER-004'],
    test: ['FFC-OWNER-004'],
  },
  'extend the expiry of a temporary flag': { from: temporary(10), to: temporary(40), production: [], test: [] },
  'extend the expiry of an expired flag': { from: temporary(-1), to: temporary(30), production: [], test: [] },
  'extend an expiry beyond 90 days': {
    from: temporary(10),
    to: temporary(120),
    production: ['FFC-TEMP-005'],
    test: ['FFC-TEMP-005'],
  },
  'roll back to the last known good version, right after the bad change and outside the window': {
    from: { rollout: { percentage: 50 }, version: 5, value: false },
    to: { value: true, rollout: { percentage: 50 }, version: 6 },
    context: {
      now: at('2025-03-04T20:00:00Z'),
      history: lastChange(1),
      lastKnownGood: { value: true, rollout: { percentage: 50 }, version: 4 },
    },
    production: [],
    test: [],
  },
  "the verifier's automatic rollback after two rollbacks' worth of flapping": {
    from: { value: false, version: 5 },
    to: { value: true, version: 6, kind: 'rollback', changedBy: 'ffc-verifier' },
    context: { history: [...twoRollbacks.slice(0, 1), ...lastChange(1)] },
    production: [],
    test: [],
  },
  // time from the system, not the writer
  'a change backdated before the version it replaces': {
    from: {},
    to: { rollout: { percentage: 50 }, changedAt: iso(-2 * HOUR) },
    production: ['FFC-PROD-015'],
    test: ['FFC-PROD-015'],
  },
};

describe.each([
  ['production', true],
  ['test', false],
] as const)('ordinary changes in %s policy', (_, production) => {
  test.each(Object.keys(ROWS))('%s', (name) => {
    const row = ROWS[name];
    const stage = production ? 'live' : 'qa';
    const now = row.context?.now ?? NOW;
    const current = row.from && flag({ changedAt: new Date(now - HOUR).toISOString(), ...row.from, stage });
    const change = flag({
      ...row.from,
      rollout: undefined,
      regions: row.from?.regions,
      version: (current?.version ?? 0) + 1,
      ...row.to,
      stage,
      changedAt: row.to.changedAt ?? iso(0),
    });
    const context = createValidationContext({
      now,
      stage,
      production,
      changeWindows: row.context?.changeWindows ?? WINDOWS,
      timeZone: row.context?.timeZone,
      freezes: row.context?.freezes,
      current,
      history: row.context?.history ?? (current ? lastChange(60) : []),
      lastKnownGood: row.context?.lastKnownGood && flag({ ...row.from, ...row.context.lastKnownGood, stage }),
      ranInLowerStage: row.context?.ranInLowerStage ?? true,
    });
    // Stamped by the system at `now`, as the write path does.
    const stamped = { ...change, changedAt: row.to.changedAt ?? new Date(context.now).toISOString() };
    const { violations } = validateChange(stamped, context);
    const refusedBy = violations.filter((v) => v.severity === 'error').map((v) => v.ruleId);
    expect(refusedBy).toEqual(production ? row.production : row.test);
  });
});
