import { RuleCases, Scenario } from '../support/scenario';

const json = (value: unknown) => (s: Scenario) => {
  s.change.type = 'json';
  s.change.value = value as Scenario['change']['value'];
  s.context.current = { ...s.context.current!, type: 'json', value: s.change.value };
  s.change.rollout = undefined;
};
const nested = (levels: number): unknown => (levels === 0 ? 1 : { n: nested(levels - 1) });
const filler = (bytes: number) => ({ text: 'x'.repeat(bytes - 11) }); // {"text":"…"} is 11 bytes of framing

export const sizeCases: RuleCases = {
  'FFC-SIZE-001': {
    fail: json({ parts: Array.from({ length: 20 }, () => 'x'.repeat(3300)) }),
    pass: json(filler(16000)),
  },
  'FFC-SIZE-002': { fail: json(nested(9)), pass: json(nested(8)) },
  'FFC-SIZE-003': {
    fail: json({ a: Array.from({ length: 600 }, () => [1, 2, 3, 4, 5, 6, 7, 8, 9]) }),
    pass: json({ a: Array.from({ length: 400 }, () => [1, 2, 3, 4, 5, 6, 7, 8, 9]) }),
  },
  'FFC-SIZE-004': {
    fail: (s) => {
      s.change.targeting = Array.from({ length: 20 }, (_, i) => ({
        attribute: 'segment',
        operator: i % 2 ? 'in' : 'notIn',
        values: Array.from({ length: 50 }, (__, j) => `segment-${i}-${j}-${'s'.repeat(120)}`),
      }));
    },
    // The same audience through fewer, shorter values stays far below 128 KB.
    pass: (s) => {
      s.change.targeting = [{ attribute: 'segment', operator: 'in', values: ['checkout-beta', 'checkout-early'] }];
    },
  },
  'FFC-SIZE-005': {
    fail: (s) => {
      s.change.targeting = [
        { attribute: 'accountId', operator: 'in', values: Array.from({ length: 500 }, (_, i) => `acc-${i}`) },
        { attribute: 'tenantId', operator: 'in', values: Array.from({ length: 501 }, (_, i) => `ten-${i}`) },
      ];
    },
    pass: (s) => {
      s.change.targeting = [
        { attribute: 'accountId', operator: 'in', values: Array.from({ length: 500 }, (_, i) => `acc-${i}`) },
        { attribute: 'tenantId', operator: 'in', values: Array.from({ length: 500 }, (_, i) => `ten-${i}`) },
      ];
    },
  },
  'FFC-SIZE-006': { fail: json(filler(20000)), pass: json(filler(16000)) },
  'FFC-SIZE-007': {
    fail: (s) => {
      s.change.prerequisites = [{ flagKey: 'checkout-base', value: { blob: 'x'.repeat(1100) } }];
    },
    pass: (s) => {
      s.change.prerequisites = [{ flagKey: 'checkout-base', value: true }];
    },
  },
};
