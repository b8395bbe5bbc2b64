import { all, defineFamily, exceeds, fact, isOperatorChange, isProduction, isTrue } from './define';

/** Attributes that identify a unit stably enough to bucket it. */
export const BUCKET_ATTRIBUTES = ['userId', 'accountId', 'tenantId', 'deviceId', 'sessionId'];

export const rolloutRules = defineFamily('rollout', [
  {
    id: 'FFC-ROLLOUT-001',
    description: 'Rollout percentage is at least 0.',
    message: 'rollout percentage is {rolloutPercentage}: use a value from 0 to 100',
    path: 'rollout.percentage',
    when: fact('rolloutPercentage', 'lessThan', 0),
  },
  {
    id: 'FFC-ROLLOUT-002',
    description: 'Rollout percentage is at most 100.',
    message: 'rollout percentage is {rolloutPercentage}: use a value from 0 to 100',
    path: 'rollout.percentage',
    when: exceeds('rolloutPercentage', 100),
  },
  {
    id: 'FFC-ROLLOUT-003',
    description: 'Rollout percentage has at most two decimals (buckets are 1/10,000 of the population).',
    message: 'rollout percentage {rolloutPercentage} is finer than 0.01: round it to two decimals',
    path: 'rollout.percentage',
    when: exceeds('rolloutDecimalPlaces', 2),
  },
  {
    id: 'FFC-ROLLOUT-004',
    description: 'In production a rollout grows by at most 25 points per change, so a bad change reaches few users.',
    message:
      'rollout grows by {rolloutIncrease} points (from {currentEffectiveRollout}% to {effectiveRollout}%): ramp in steps of at most 25',
    path: 'rollout.percentage',
    when: all(isProduction, isOperatorChange, exceeds('rolloutIncrease', 25)),
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
    description: 'A rollout of 0% serves nobody: turn the flag off instead.',
    message: 'rollout is 0%: set the value to its off state and remove the rollout',
    path: 'rollout.percentage',
    when: fact('rolloutPercentage', 'equal', 0),
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
    description: 'A production rollout grows at most every 15 minutes, so verification of the last step finishes.',
    message: 'rollout grows {minutesSinceLastChange} minutes after the last change: wait at least 15 minutes',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      exceeds('rolloutIncrease', 0),
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
]);
