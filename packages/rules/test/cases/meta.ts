import { RuleCases, Scenario } from '../support/scenario';

const set = (field: string, value: unknown) => (s: Scenario) => {
  s.change[field] = value;
};

export const metadataCases: RuleCases = {
  'FFC-META-001': { fail: set('description', '  '), pass: set('description', 'Enables one-click checkout') },
  'FFC-META-002': { fail: set('description', 'One click'), pass: set('description', 'One-click checkout flow') },
  'FFC-META-003': { fail: set('description', 'd'.repeat(1001)), pass: set('description', 'd'.repeat(1000)) },
  'FFC-META-004': {
    fail: set('description', 'Checkout one click'),
    pass: set('description', 'Checkout in one click for returning buyers'),
  },
  'FFC-META-005': { fail: set('reason', ''), pass: set('reason', 'Ramp after a clean hour') },
  'FFC-META-006': { fail: set('reason', 'r'.repeat(501)), pass: set('reason', 'r'.repeat(500)) },
  'FFC-META-007': { fail: set('changedBy', ''), pass: set('changedBy', 'bjones') },
  'FFC-META-008': { fail: set('changedBy', 'John Doe'), pass: set('changedBy', 'john.doe@corp.example') },
  'FFC-META-009': {
    fail: set(
      'tags',
      Array.from({ length: 11 }, (_, i) => `tag-${i}`),
    ),
    pass: set(
      'tags',
      Array.from({ length: 10 }, (_, i) => `tag-${i}`),
    ),
  },
  'FFC-META-010': { fail: set('tags', ['Checkout Team']), pass: set('tags', ['checkout-team']) },
  'FFC-META-011': { fail: set('tags', ['beta', 'beta']), pass: set('tags', ['beta', 'web']) },
  'FFC-META-012': {
    fail: (s) => {
      s.change.reason = s.change.description;
    },
    pass: set('reason', 'One-click checkout won the A/B test: ramp it'),
  },
  'FFC-META-013': {
    fail: set('description', 'TODO describe the one-click checkout'),
    pass: set('description', 'One-click checkout; the open tasks are in CHK-1234'),
  },
};
