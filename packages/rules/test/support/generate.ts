import { cleanChange, DAY, HOUR, iso, MINUTE, NOW, scenario } from './scenario';
import { ChangeKind, FlagChange, HistoryEntry, ValidationContextInput } from '../../src';

/** mulberry32: a tiny seeded PRNG, so generated corpora are the same on every run. */
/* eslint-disable no-bitwise -- the PRNG is bit arithmetic by definition */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

const KEYS = [
  'checkout-one-click',
  'tmp-banner',
  'kill-checkout',
  'Checkout_X',
  'ab',
  'ffc-x',
  'test-x',
  'payments-fx-round',
  'a--b',
  'x-prod',
  'default',
  'shared-flag',
];
const VALUES: FlagChange['value'][] = [
  true,
  false,
  'blue',
  '',
  ' on',
  'true',
  '42',
  7,
  30.5,
  2 ** 60,
  0,
  { a: 1 },
  {},
  [1],
  { password: 'x' },
  { a: null },
  'AKIAIOSFODNN7EXAMPLE',
  'jane@example.com',
  null,
];
const TYPES = ['boolean', 'string', 'number', 'json'] as const;
const SERVICES = [
  ['checkout-receipt'],
  ['checkout-api'],
  ['*'],
  ['*', 'checkout-api'],
  [],
  ['checkout-receipt', 'checkout-receipt'],
  ['nope-service'],
  ['payments-fx'],
  ['checkout-wallet', 'search-facets', 'catalog-media', 'growth-landing'],
];
const REGIONS = [undefined, [], ['eu-west-1'], ['us-east-1', 'us-east-1'], ['mars-1']];
const PERCENTAGES = [undefined, 0, 5, 10, 10.125, 25, 50, 60, 100, 101, -1];
const BUCKETS = [undefined, 'userId', 'sessionId', 'email'];
const TARGETING = [
  undefined,
  [],
  [{ attribute: 'country', operator: 'in', values: ['DE', 'Germany'] }],
  [
    { attribute: 'plan', operator: 'in', values: ['pro'] },
    { attribute: 'plan', operator: 'notIn', values: ['pro'] },
  ],
  [{ attribute: 'email', operator: 'matches', values: ['(a+)+'] }],
  [{ attribute: 'appVersion', operator: 'semverGte', values: ['1.2', '1.2.3'] }],
  [{ attribute: 'accountAgeDays', operator: 'gt', values: ['30', 30] }],
];
const OWNERS = ['checkout', 'platform', 'search', 'nobody'];
const REASONS = ['Ramp after a clean hour of metrics', 'wip', '', 'EMERGENCY: outage in checkout'];
const CHANGED_BY = ['jdoe', 'svc-bot', 'ffc-validator', 'admin', 'John Doe'];
const KINDS: ChangeKind[] = ['change', 'restore', 'rollback'];
const PURPOSES = [undefined, 'release', 'experiment', 'ops', 'temporary', 'permanent'] as const;
const CONSTRAINTS: FlagChange['constraints'][] = [
  undefined,
  { minimum: 1, maximum: 40 },
  { minimum: 50, maximum: 10 },
  { enum: ['blue', 'green'] },
  { pattern: '[a-z]+' },
  { pattern: '(a+)+' },
  { requiredKeys: ['a'] },
];
/** Flags that list checkout-one-click as a prerequisite (the reverse dependencies). */
const DEPENDENTS: FlagChange[][] = [
  [],
  [
    {
      ...cleanChange(),
      flagKey: 'checkout-express',
      prerequisites: [{ flagKey: 'checkout-one-click', value: true }],
    } as FlagChange,
  ],
  [
    {
      ...cleanChange(),
      flagKey: 'checkout-express',
      services: ['checkout-tax'],
      prerequisites: [{ flagKey: 'checkout-one-click', value: 30 }],
    } as FlagChange,
  ],
];

export interface GeneratedCase {
  readonly change: FlagChange;
  readonly context: ValidationContextInput;
}

/** Random changes and contexts, valid and invalid, drawn from pools that hit every rule family. */
export function generateCases(count: number, seed = 42): GeneratedCase[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const maybe = <T>(p: number, value: () => T): T | undefined => (random() < p ? value() : undefined);
  const cases: GeneratedCase[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.2) {
      cases.push(cleanCase(5 + Math.floor(random() * 8)));
      continue;
    }
    const percentage = pick(PERCENTAGES);
    const temporary = maybe(0.3, () => random() < 0.8);
    const change: FlagChange = strip({
      ...cleanChange(),
      flagKey: random() < 0.6 ? 'checkout-one-click' : pick(KEYS),
      type: random() < 0.5 ? 'boolean' : pick(TYPES),
      value: random() < 0.5 ? true : pick(VALUES),
      services: random() < 0.5 ? ['checkout-receipt'] : pick(SERVICES),
      regions: pick(REGIONS),
      rollout: percentage === undefined ? undefined : strip({ percentage, bucketBy: pick(BUCKETS) }),
      targeting: pick(TARGETING),
      owner: random() < 0.6 ? 'checkout' : pick(OWNERS),
      reason: random() < 0.6 ? 'Ramp after a clean hour of metrics' : pick(REASONS),
      changedBy: random() < 0.6 ? 'jdoe' : pick(CHANGED_BY),
      ticket: maybe(0.8, () => pick(['CHK-1', 'bad ticket'])),
      temporary,
      expiresAt: maybe(0.4, () => iso(Math.round((random() * 120 - 10) * DAY))),
      prerequisites: maybe(0.2, () => [
        { flagKey: pick(['checkout-base', 'checkout-one-click', 'missing-flag']), value: pick([true, 'on']) },
      ]),
      tags: maybe(0.2, () => [pick(['kill-switch', 'beta', 'Bad Tag'])]),
      version: pick([1, 2, 2, 3, 2.5]),
      kind: random() < 0.8 ? 'change' : pick(KINDS),
      changedAt: random() < 0.95 ? iso(-Math.floor(random() * 30) * MINUTE) : 'yesterday',
      purpose: pick(PURPOSES),
      constraints: pick(CONSTRAINTS),
      approvedBy: pick([undefined, 'asmith', 'jdoe', 'ci-bot']),
    }) as FlagChange;
    const current = maybe(0.8, () =>
      strip({
        ...cleanChange(),
        version: 1,
        value: pick([true, false, 30]),
        changedAt: pick([iso(-HOUR), iso(-20 * DAY), iso(-40 * DAY)]),
        purpose: pick(PURPOSES),
        rollout: maybe(0.7, () => ({ percentage: pick([5, 50, 100]) })),
      }),
    ) as FlagChange | undefined;
    const history: HistoryEntry[] = Array.from({ length: Math.floor(random() * 12) }, (_, h) => ({
      version: 1 - h,
      kind: random() < 0.8 ? 'change' : pick(KINDS),
      changedAt: iso(-Math.floor(random() * 30 * HOUR)),
      changedBy: pick(CHANGED_BY),
    }));
    const production = random() < 0.6;
    cases.push({
      change,
      context: {
        now: NOW,
        stage: random() < 0.9 ? change.stage : 'prod',
        production,
        // Some windows run across midnight; some are written in Berlin time.
        changeWindows:
          random() < 0.3 ? [{ days: ['mon', 'tue'], start: '09:00', end: pick(['09:30', '17:00', '02:00']) }] : [],
        timeZone: random() < 0.2 ? 'Europe/Berlin' : undefined,
        freezes: random() < 0.1 ? [{ from: iso(-HOUR), to: iso(HOUR), reason: 'sale' }] : [],
        current,
        prerequisites:
          random() < 0.5
            ? [{ ...cleanChange(), flagKey: 'checkout-base', temporary: true, expiresAt: iso(5 * DAY) } as FlagChange]
            : [],
        history,
        // Sometimes the change writes back the last known good content: an operator's rollback.
        lastKnownGood: current && random() < 0.2 ? { ...change, version: pick([0, 1]) } : undefined,
        dependents: pick(DEPENDENTS),
        archiving: random() < 0.1,
        ranInLowerStage: pick([undefined, true, false]),
        authenticatedWriter: pick([undefined, undefined, 'jdoe', 'asmith']),
        createdAt: maybe(0.5, () => iso(-Math.floor(random() * 60) * DAY)),
      },
    });
  }
  return cases;
}

/** The clean production scenario ramping 5% to `percentage`: valid by construction (or a warning at most). */
function cleanCase(percentage: number): GeneratedCase {
  const { change, context } = scenario();
  change.rollout = { percentage };
  return { change: change as FlagChange, context };
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
