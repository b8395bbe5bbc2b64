import { ValueConstraints } from '../../src';
import { RuleCases, Scenario } from '../support/scenario';

const set = (type: string, value: unknown) => (s: Scenario) => {
  s.change.type = type as Scenario['change']['type'];
  s.change.value = value as Scenario['change']['value'];
  if (s.context.current) {
    s.context.current = { ...s.context.current, type: s.change.type, value: s.change.value };
  }
  s.change.rollout = undefined;
};
/** The value before and after, for rules that compare with the current version. */
const from = (type: string, before: unknown, after: unknown) => (s: Scenario) => {
  set(type, after)(s);
  s.context.current = { ...s.context.current!, type: s.change.type, value: before as Scenario['change']['value'] };
};

/** A flag of `type` serving `value` under `constraints`, declared the same in its current version. */
const constrained = (type: string, value: unknown, constraints: ValueConstraints) => (s: Scenario) => {
  set(type, value)(s);
  s.change.constraints = constraints;
  s.context.current = { ...s.context.current!, constraints };
};
const tier0 = (s: Scenario) => {
  s.change.services = ['checkout-api'];
  s.context.current = { ...s.context.current!, services: ['checkout-api'] };
};

export const valueCases: RuleCases = {
  'FFC-TYPE-001': { fail: set('boolean', 'true'), pass: set('boolean', false) },
  'FFC-TYPE-002': { fail: set('string', 42), pass: set('string', 'blue') },
  'FFC-TYPE-003': { fail: set('number', '42'), pass: set('number', 42) },
  'FFC-TYPE-004': { fail: set('json', 'text'), pass: set('json', { colour: 'blue' }) },
  'FFC-TYPE-005': { fail: set('number', 2 ** 60), pass: set('number', 2 ** 52) },
  'FFC-TYPE-006': { fail: set('string', ''), pass: set('string', 'x') },
  'FFC-TYPE-007': { fail: set('string', 'a'.repeat(1025)), pass: set('string', 'a'.repeat(1024)) },
  'FFC-TYPE-008': { fail: set('string', 'blue '), pass: set('string', 'light blue') },
  'FFC-TYPE-009': { fail: set('string', 'blue\u0007'), pass: set('string', 'blue') },
  'FFC-TYPE-010': { fail: set('json', {}), pass: set('json', { a: 1 }) },
  'FFC-TYPE-011': { fail: set('json', { '': 1 }), pass: set('json', { a: 1 }) },
  'FFC-TYPE-012': { fail: set('json', { ['k'.repeat(129)]: 1 }), pass: set('json', { ['k'.repeat(128)]: 1 }) },
  'FFC-TYPE-013': {
    fail: set('json', { items: Array.from({ length: 1001 }, (_, i) => i) }),
    pass: set('json', { items: Array.from({ length: 1000 }, (_, i) => i) }),
  },
  'FFC-TYPE-014': {
    fail: set('json', Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i]))),
    pass: set('json', Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]))),
  },
  'FFC-TYPE-015': { fail: set('string', 'Enabled'), pass: set('string', 'enabled-for-beta') },
  'FFC-TYPE-016': { fail: set('string', '30'), pass: set('string', 'v30') },
  'FFC-TYPE-017': {
    fail: (s) => {
      s.context.current = { ...s.context.current!, type: 'string', value: 'on' };
    },
    // A new key for the new type.
    pass: (s) => {
      s.context.current = { ...s.context.current!, type: 'string', value: 'on', flagKey: 'checkout-one-click-mode' };
      s.change.flagKey = 'checkout-one-click-mode';
      s.change.type = 'string';
      s.change.value = 'on';
      s.change.offValue = 'off';
    },
  },
  'FFC-TYPE-018': { fail: set('json', [1, 2]), pass: set('json', { items: [1, 2] }) },
  'FFC-TYPE-019': { fail: set('string', 'bad \uD800 text'), pass: set('string', 'emoji 😀 ok') },
  'FFC-TYPE-020': { fail: set('json', { id: 2 ** 60 }), pass: set('json', { id: 2 ** 40 }) },
  'FFC-TYPE-021': { fail: set('json', { text: 'a'.repeat(4097) }), pass: set('json', { text: 'a'.repeat(4096) }) },
  'FFC-TYPE-022': { fail: from('number', 30, 3000), pass: from('number', 30, 45) },
  'FFC-TYPE-023': { fail: from('json', { a: 1, b: 2 }, { a: 1 }), pass: from('json', { a: 1 }, { a: 1, b: 2 }) },
  'FFC-TYPE-024': { fail: from('json', { a: 1 }, { a: '1' }), pass: from('json', { a: 1 }, { a: 2 }) },
  'FFC-TYPE-025': { fail: from('number', 30, 30.5), pass: from('number', 30.5, 31) },
  'FFC-TYPE-026': { fail: set('json', { a: null }), pass: set('json', { a: 0 }) },
  'FFC-TYPE-027': {
    fail: (s) => Object.assign(s.change, { type: 'string', value: 'dark', offValue: 0 }),
    pass: (s) => Object.assign(s.change, { type: 'string', value: 'dark', offValue: 'light' }),
  },
  'FFC-TYPE-028': {
    // The clean change rolls out to 10 %: as a string flag, the other 90 % need a value.
    fail: (s) => Object.assign(s.change, { type: 'string', value: 'dark' }),
    pass: (s) => Object.assign(s.change, { type: 'string', value: 'dark', offValue: 'light' }),
  },
  'FFC-TYPE-029': {
    fail: (s) => Object.assign(s.change, { offValue: true }),
    pass: (s) => Object.assign(s.change, { offValue: false }),
  },
  'FFC-TYPE-030': {
    fail: (s) => Object.assign(s.change, { variants: { on: 'new checkout', off: 'old' } }),
    pass: (s) => Object.assign(s.change, { variants: { on: 'one-click', off: 'classic' } }),
  },
  'FFC-TYPE-031': {
    fail: constrained('number', 5, { minimum: 10, maximum: 1 }),
    pass: constrained('number', 5, { minimum: 1, maximum: 10 }),
  },
  'FFC-TYPE-032': {
    fail: constrained('number', 50, { minimum: 1, maximum: 40 }),
    pass: constrained('number', 40, { minimum: 1, maximum: 40 }),
  },
  'FFC-TYPE-033': {
    fail: constrained('string', 'purple', { enum: ['blue', 'green'] }),
    pass: constrained('string', 'green', { enum: ['blue', 'green'] }),
  },
  'FFC-TYPE-034': {
    fail: constrained('string', 'EU-1', { pattern: '[a-z]{2}-[0-9]' }),
    pass: constrained('string', 'eu-1', { pattern: '[a-z]{2}-[0-9]' }),
  },
  'FFC-TYPE-035': {
    fail: constrained('json', { retries: 3 }, { requiredKeys: ['retries', 'timeoutMs'] }),
    pass: constrained('json', { retries: 3, timeoutMs: 500 }, { requiredKeys: ['retries', 'timeoutMs'] }),
  },
  'FFC-TYPE-036': {
    // The maximum goes up from 40 to 50 and the value uses the new room in the same change.
    fail: (s) => {
      from('number', 30, 45)(s);
      s.change.constraints = { maximum: 50 };
      s.context.current = { ...s.context.current!, constraints: { maximum: 40 } };
    },
    pass: (s) => {
      from('number', 30, 30)(s);
      s.change.constraints = { maximum: 50 };
      s.context.current = { ...s.context.current!, constraints: { maximum: 40 } };
    },
  },
  'FFC-TYPE-037': {
    fail: (s) => {
      set('number', 30)(s);
      tier0(s);
    },
    pass: (s) => {
      constrained('number', 30, { minimum: 1, maximum: 120 })(s);
      tier0(s);
    },
  },
  'FFC-TYPE-038': {
    fail: (s) => void (s.change.purpose = 'experiment'),
    pass: (s) => Object.assign(s.change, { purpose: 'experiment', variants: { on: 'treatment', off: 'control' } }),
  },
};
