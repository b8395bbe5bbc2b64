import {
  all,
  anyOf,
  defineFamily,
  exceeds,
  fact,
  isOperatorChange,
  isProduction,
  targetsTier0,
  targetsTier1,
} from './define';

/** Contracts derived from the catalogue's service tiers: the closer to customers, the slower and smaller. */
export const serviceTierRules = defineFamily('service-tier', [
  {
    id: 'FFC-TIER-001',
    description: 'Production changes that reach tier-0 services are at least 30 minutes apart.',
    message: 'tier-0 services are affected and the last change was {minutesSinceLastChange} minutes ago: wait 30',
    path: 'services',
    when: all(isProduction, isOperatorChange, targetsTier0, fact('minutesSinceLastChange', 'lessThan', 30)),
  },
  {
    id: 'FFC-TIER-002',
    description: 'Production changes that reach tier-1 services are at least 15 minutes apart.',
    message: 'tier-1 services are affected and the last change was {minutesSinceLastChange} minutes ago: wait 15',
    path: 'services',
    when: all(isProduction, isOperatorChange, targetsTier1, fact('minutesSinceLastChange', 'lessThan', 15)),
  },
  {
    id: 'FFC-TIER-003',
    description: 'A production rollout that reaches tier-0 services grows by at most 10 points per change.',
    message: 'rollout grows by {rolloutIncrease} points on tier-0 services: ramp in steps of at most 10',
    path: 'rollout.percentage',
    when: all(isProduction, isOperatorChange, targetsTier0, exceeds('rolloutIncrease', 10)),
  },
  {
    id: 'FFC-TIER-004',
    description: 'A production rollout that reaches tier-1 services grows by at most 20 points per change.',
    message: 'rollout grows by {rolloutIncrease} points on tier-1 services: ramp in steps of at most 20',
    path: 'rollout.percentage',
    when: all(isProduction, isOperatorChange, targetsTier1, exceeds('rolloutIncrease', 20)),
  },
  {
    id: 'FFC-TIER-005',
    description: 'A flag that reaches tier-0 services changes at most 3 times a day in production.',
    message: 'the flag reached tier-0 services {changesLastDay} times today: batch the changes',
    path: 'services',
    when: all(isProduction, isOperatorChange, targetsTier0, fact('changesLastDay', 'greaterThanInclusive', 3)),
  },
  {
    id: 'FFC-TIER-006',
    description: 'Flags that reach tier-0 services do not target by regular expression (cost on the hot path).',
    message: 'tier-0 services would evaluate a regular expression per request: use in / startsWith instead',
    path: 'targeting',
    when: all(targetsTier0, fact('targetingOperators', 'contains', 'matches')),
  },
  {
    id: 'FFC-TIER-007',
    description: 'Values sent to tier-0 services are at most 4 KB (they sit in the request path cache).',
    message: 'the value is {valueBytes} bytes for tier-0 services: keep it under 4,096 bytes',
    path: 'value',
    when: all(targetsTier0, exceeds('valueBytes', 4096)),
  },
  {
    id: 'FFC-TIER-008',
    description: 'Flags that reach tier-0 services have no prerequisites: one broken flag must not switch off another.',
    message: 'tier-0 services are targeted by a flag with prerequisites: remove them',
    path: 'prerequisites',
    when: all(targetsTier0, anyOf('prerequisiteCount')),
  },
  {
    id: 'FFC-TIER-009',
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
