import { all, any, defineFamily, exceeds, fact, isOperatorChange, isProduction, isTrue, targetsTier0 } from './define';

/** Attributes that identify a unit stably enough to bucket it. */
export const BUCKET_ATTRIBUTES = ['userId', 'accountId', 'tenantId', 'deviceId', 'sessionId'];

export const rolloutRules = defineFamily('rollout', [
  {
    id: 'FFC-ROLLOUT-001',
    integrity: true,
    description: 'Rollout percentage is at least 0.',
    message: 'rollout percentage is {rolloutPercentage}: use a value from 0 to 100',
    path: 'rollout.percentage',
    when: fact('rolloutPercentage', 'lessThan', 0),
  },
  {
    id: 'FFC-ROLLOUT-002',
    integrity: true,
    description: 'Rollout percentage is at most 100.',
    message: 'rollout percentage is {rolloutPercentage}: use a value from 0 to 100',
    path: 'rollout.percentage',
    when: exceeds('rolloutPercentage', 100),
  },
  {
    id: 'FFC-ROLLOUT-003',
    integrity: true,
    description: 'Rollout percentage has at most two decimals (buckets are 1/10,000 of the population).',
    message: 'rollout percentage {rolloutPercentage} is finer than 0.01: round it to two decimals',
    path: 'rollout.percentage',
    when: exceeds('rolloutDecimalPlaces', 2),
  },
  {
    id: 'FFC-ROLLOUT-004',
    description:
      'In production the exposed population (rollout x services x regions, same or narrower targeting) grows at most 2.5-fold per change (2-fold where tier-0 services are reached: 10 → 20 → 40 → 80 → 100), and a flag that reached nobody starts at a rollout of 10% or less: 10 → 20 → 50 → 100 ramps, 0 → 100 or one region → twelve does not. A value edit at the same exposure is not a ramp.',
    message:
      "the change exposes {exposureAfter}% of the fleet's deployments, up from {exposureBefore}% (x{exposureGrowth}): grow at most 2.5-fold per change (2-fold on tier-0 services), and start a flag that reached nobody at a rollout of 10% or less",
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      isTrue('currentExists'),
      any(
        exceeds('exposureGrowth', 2.5),
        all(targetsTier0, exceeds('exposureGrowth', 2)),
        all(fact('exposureBefore', 'equal', 0), isTrue('exposureIncreased'), exceeds('effectiveRollout', 10)),
      ),
    ),
  },
  {
    id: 'FFC-ROLLOUT-005',
    description: 'A new boolean flag switched on in production starts at a rollout of at most 10%.',
    message: 'new flag turned on for {effectiveRollout}% at once: create it with a rollout of 10% or less, then ramp',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      fact('currentExists', 'equal', false),
      fact('value', 'equal', true),
      exceeds('effectiveRollout', 10),
    ),
  },
  {
    id: 'FFC-ROLLOUT-006',
    severity: 'warning',
    description: 'A boolean rollout of 0% serves nobody: set the flag to false instead (other types turn off at 0%).',
    message: 'rollout is 0%: set the value to false and remove the rollout',
    path: 'rollout.percentage',
    when: all(fact('type', 'equal', 'boolean'), fact('rolloutPercentage', 'equal', 0)),
  },
  {
    id: 'FFC-ROLLOUT-007',
    severity: 'warning',
    description: 'A rollout of 100% is the same as no rollout: remove it once the ramp is complete.',
    message: 'rollout is 100%: remove the rollout block',
    path: 'rollout',
    when: fact('rolloutPercentage', 'equal', 100),
  },
  {
    id: 'FFC-ROLLOUT-008',
    integrity: true,
    description: `Rollouts bucket by a stable identifier: ${BUCKET_ATTRIBUTES.join(', ')}.`,
    message: `rollout buckets by '{rolloutBucketBy}': use one of ${BUCKET_ATTRIBUTES.join(', ')}`,
    path: 'rollout.bucketBy',
    when: all(fact('rolloutBucketBy', 'notEqual', null), fact('rolloutBucketBy', 'notIn', BUCKET_ATTRIBUTES)),
  },
  {
    id: 'FFC-ROLLOUT-009',
    description: 'Production rollouts do not bucket by session: users would flip between variants.',
    message: 'rollout buckets by sessionId in production: bucket by userId or accountId',
    path: 'rollout.bucketBy',
    when: all(isProduction, fact('rolloutBucketBy', 'equal', 'sessionId')),
  },
  {
    id: 'FFC-ROLLOUT-010',
    description: 'A partial production rollout keeps its bucketing attribute: changing it reshuffles who is in.',
    message: 'bucketBy changes while the rollout is partial: finish or reset the rollout first',
    path: 'rollout.bucketBy',
    when: all(isProduction, isTrue('bucketByChanged'), isTrue('currentRolloutPartial')),
  },
  {
    id: 'FFC-ROLLOUT-011',
    description: 'In production exposure grows at most every 15 minutes, so verification of the last step finishes.',
    message: 'exposure grows {minutesSinceLastChange} minutes after the last change: wait at least 15 minutes',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      isTrue('exposureIncreased'),
      fact('minutesSinceLastChange', 'lessThan', 15),
    ),
  },
  {
    id: 'FFC-ROLLOUT-012',
    description: 'A rollout on a flag whose value is its off state (false) changes nothing.',
    message: 'rollout on value false has no effect: roll out the on value (true)',
    path: 'rollout',
    when: all(fact('value', 'equal', false), fact('rolloutPercentage', 'notEqual', null)),
  },
  {
    id: 'FFC-ROLLOUT-013',
    description:
      'One rollout at a time: while a production rollout is partial, the value it rolls out does not change (finish it at 100% or turn it off first), or users would see a value nobody verified at the last step.',
    message:
      'a rollout is at {rolloutPercentage}% and the value changes: finish the rollout (100%) or turn the flag off before rolling out another value',
    path: 'value',
    when: all(isProduction, isOperatorChange, isTrue('currentRolloutPartial'), isTrue('valueChanged')),
  },
]);
