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

/** A change as `ffc set` accepts it: without what the writer stamps (version, kind, changedAt, stage). */
export type UnstampedChange = Omit<FlagChange, 'version' | 'kind' | 'changedAt' | 'stage'>;

/**
 * A boolean flag of the platform team (every service's flags are theirs) for every service: what the local
 * demo, the chaos scenarios, the benchmark and the operator tests write; callers add `value` and `reason`.
 */
export function platformChange(flagKey: string, description: string): UnstampedChange {
  const {
    version: _v,
    kind: _k,
    changedAt: _c,
    stage: _s,
    ...change
  } = exampleChange({ flagKey, services: ['*'], owner: 'platform', ticket: 'PLAT-1', description });
  return change;
}
