import {
  all,
  any,
  anyOf,
  defineFamily,
  exceeds,
  fact,
  isOperatorChange,
  isProduction,
  isTrue,
  targetsTier0,
  targetsTier1,
} from './define';

/**
 * Contracts derived from the catalogue's service tiers: the closer to customers, the slower and smaller.
 * Retired IDs, never reused: FFC-TIER-003 (now FFC-ROLLOUT-004's tier-0 limit), FFC-TIER-005 (FFC-RATE-002's),
 * FFC-TIER-007 (FFC-SIZE-001's).
 */
export const serviceTierRules = defineFamily('service-tier', [
  {
    id: 'FFC-TIER-001',
    why: 'Tier-0 services need each change verified before the next one.',
    description: 'Production changes that reach tier-0 services are at least 30 minutes apart.',
    message: 'tier-0 services are affected and the last change was {minutesSinceLastChange} minutes ago: wait 30',
    path: 'services',
    when: all(isProduction, isOperatorChange, targetsTier0, fact('minutesSinceLastChange', 'lessThan', 30)),
  },
  {
    id: 'FFC-TIER-002',
    why: 'Tier-1 services need each change verified before the next one.',
    description: 'Production changes that reach tier-1 services are at least 15 minutes apart.',
    message: 'tier-1 services are affected and the last change was {minutesSinceLastChange} minutes ago: wait 15',
    path: 'services',
    when: all(isProduction, isOperatorChange, targetsTier1, fact('minutesSinceLastChange', 'lessThan', 15)),
  },
  {
    id: 'FFC-TIER-004',
    why: 'Customer-facing tiers need a smaller first step than the rest.',
    description: 'In production a flag that reached no tier-0 or tier-1 unit starts there at a rollout of 5% or less.',
    message: 'the flag reaches tier-0/1 services at {effectiveRollout}% from nobody: start at a rollout of 5% or less',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      any(targetsTier0, targetsTier1),
      fact('exposureBefore', 'equal', 0),
      isTrue('exposureIncreased'),
      exceeds('effectiveRollout', 5),
    ),
  },
  {
    id: 'FFC-TIER-006',
    why: 'A regular expression per request costs latency on the hottest path.',
    description: 'Flags that reach tier-0 services do not target by regular expression (cost on the hot path).',
    message: 'tier-0 services would evaluate a regular expression per request: use in / startsWith instead',
    path: 'targeting',
    when: all(targetsTier0, fact('targetingOperators', 'contains', 'matches')),
  },
  {
    id: 'FFC-TIER-008',
    why: 'A broken prerequisite would switch off a tier-0 feature.',
    description: 'Flags that reach tier-0 services have no prerequisites: one broken flag must not switch off another.',
    message: 'tier-0 services are targeted by a flag with prerequisites: remove them',
    path: 'prerequisites',
    when: all(targetsTier0, anyOf('prerequisiteCount')),
  },
  {
    id: 'FFC-TIER-009',
    why: 'A tier-0 flag born on has no ramp at all.',
    description: 'A flag that reaches tier-0 services is created dark in production (off, or at 0%).',
    message: 'a new flag is on for tier-0 services at once: create it off (or at 0%) and ramp',
    path: 'value',
    when: all(
      isProduction,
      fact('currentExists', 'equal', false),
      targetsTier0,
      fact('value', 'equal', true),
      exceeds('effectiveRollout', 0),
    ),
  },
]);
