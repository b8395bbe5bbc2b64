import { FlagChange } from './flag-change';

/**
 * A change that passes every rule in a non-production stage (version 1 of a boolean flag for one checkout
 * service): the starting point of documentation, examples and other packages' tests.
 */
export function exampleChange(overrides: Partial<FlagChange> = {}): FlagChange {
  return {
    flagKey: 'checkout-one-click',
    stage: 'qa',
    type: 'boolean',
    value: true,
    services: ['checkout-receipt'],
    owner: 'checkout',
    description: 'One-click checkout for returning customers',
    changedBy: 'jdoe',
    reason: 'Ramp one-click checkout after the A/B test won',
    ticket: 'CHK-1234',
    version: 1,
    kind: 'change',
    changedAt: new Date().toISOString(),
    ...overrides,
  };
}
