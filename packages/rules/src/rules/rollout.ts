import {
  all,
  any,
  defineFamily,
  exceeds,
  fact,
  isFalse,
  isOperatorChange,
  isProduction,
  isTrue,
  targetsTier0,
} from './define';

/** Attributes that identify a unit stably enough to bucket it. */
export const BUCKET_ATTRIBUTES = ['userId', 'accountId', 'tenantId', 'deviceId', 'sessionId'];

export const rolloutRules = defineFamily('rollout', [
  {
    id: 'FFC-ROLLOUT-001',
    why: 'A negative share has no meaning; SDKs disagree on how to read it.',
    integrity: true,
    description: 'Rollout percentage is at least 0.',
    message: 'rollout percentage is {rolloutPercentage}: use a value from 0 to 100',
    path: 'rollout.percentage',
    when: fact('rolloutPercentage', 'lessThan', 0),
  },
  {
    id: 'FFC-ROLLOUT-002',
    why: 'More than everyone has no meaning; SDKs disagree on how to read it.',
    integrity: true,
    description: 'Rollout percentage is at most 100.',
    message: 'rollout percentage is {rolloutPercentage}: use a value from 0 to 100',
    path: 'rollout.percentage',
    when: exceeds('rolloutPercentage', 100),
  },
  {
    id: 'FFC-ROLLOUT-003',
    why: 'Buckets are 1/10,000: a finer share is silently rounded, differently per SDK.',
    integrity: true,
    description: 'Rollout percentage has at most two decimals (buckets are 1/10,000 of the population).',
    message: 'rollout percentage {rolloutPercentage} is finer than 0.01: round it to two decimals',
    path: 'rollout.percentage',
    when: exceeds('rolloutDecimalPlaces', 2),
  },
  {
    id: 'FFC-ROLLOUT-004',
    why: 'Big jumps in exposure turn a small bug into an outage before verification can react.',
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
    why: 'A new feature at full exposure has no early warning: start small.',
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
    why: 'A boolean at 0% is off in a confusing way; false says it plainly.',
    severity: 'warning',
    description: 'A boolean rollout of 0% serves nobody: set the flag to false instead (other types turn off at 0%).',
    message: 'rollout is 0%: set the value to false and remove the rollout',
    path: 'rollout.percentage',
    when: all(fact('type', 'equal', 'boolean'), fact('rolloutPercentage', 'equal', 0)),
  },
  {
    id: 'FFC-ROLLOUT-007',
    why: 'A 100% rollout looks unfinished and keeps hashing units for nothing.',
    severity: 'warning',
    description: 'A rollout of 100% is the same as no rollout: remove it once the ramp is complete.',
    message: 'rollout is 100%: remove the rollout block',
    path: 'rollout',
    when: fact('rolloutPercentage', 'equal', 100),
  },
  {
    id: 'FFC-ROLLOUT-008',
    why: 'Bucketing by an unstable attribute makes users flip between values.',
    integrity: true,
    description: `Rollouts bucket by a stable identifier: ${BUCKET_ATTRIBUTES.join(', ')}.`,
    message: `rollout buckets by '{rolloutBucketBy}': use one of ${BUCKET_ATTRIBUTES.join(', ')}`,
    path: 'rollout.bucketBy',
    when: all(fact('rolloutBucketBy', 'notEqual', null), fact('rolloutBucketBy', 'notIn', BUCKET_ATTRIBUTES)),
  },
  {
    id: 'FFC-ROLLOUT-009',
    why: 'Sessions change constantly; users would see the feature appear and vanish.',
    description: 'Production rollouts do not bucket by session: users would flip between variants.',
    message: 'rollout buckets by sessionId in production: bucket by userId or accountId',
    path: 'rollout.bucketBy',
    when: all(isProduction, fact('rolloutBucketBy', 'equal', 'sessionId')),
  },
  {
    id: 'FFC-ROLLOUT-010',
    why: 'Another bucketing attribute reshuffles who is in: half the exposed users flip.',
    description: 'A partial production rollout keeps its bucketing attribute: changing it reshuffles who is in.',
    message: 'bucketBy changes while the rollout is partial: finish or reset the rollout first',
    path: 'rollout.bucketBy',
    when: all(isProduction, isTrue('bucketByChanged'), isTrue('currentRolloutPartial')),
  },
  {
    id: 'FFC-ROLLOUT-011',
    why: 'Each step needs its verification to finish before the next widens the damage.',
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
    why: 'Rolling out "false" serves false to everyone anyway; the rollout hides that.',
    description: 'A rollout on a flag whose value is its off state (false) changes nothing.',
    message: 'rollout on value false has no effect: roll out the on value (true)',
    path: 'rollout',
    when: all(fact('value', 'equal', false), fact('rolloutPercentage', 'notEqual', null)),
  },
  {
    id: 'FFC-ROLLOUT-013',
    why: 'Changing the value mid-rollout serves a value that no earlier step verified.',
    description:
      'One rollout at a time: while a production rollout is partial, the value it rolls out does not change (finish it at 100% or turn it off first), or users would see a value nobody verified at the last step.',
    message:
      'a rollout is at {rolloutPercentage}% and the value changes: finish the rollout (100%) or turn the flag off before rolling out another value',
    path: 'value',
    when: all(isProduction, isOperatorChange, isTrue('currentRolloutPartial'), isTrue('valueChanged')),
  },
  {
    id: 'FFC-ROLLOUT-014',
    why: 'Two ramps at once (percentage and audience) make a failure impossible to attribute.',
    description:
      'One active rollout per flag: while a production rollout is partial, its audience (services, regions, targeting) does not widen; ramp the percentage to the end first, or the two ramps mix and neither step is verified on its own.',
    message:
      'the audience widens while the rollout is at {rolloutPercentage}%: finish the rollout first, then widen services, regions or targeting',
    path: 'services',
    when: all(
      isProduction,
      isOperatorChange,
      isTrue('currentRolloutPartial'),
      isTrue('audienceChanged'),
      isTrue('exposureIncreased'),
    ),
  },
  {
    id: 'FFC-ROLLOUT-015',
    why: 'Widening before the last step is verified in every region skips the safety check.',
    description:
      'In production exposure grows only from a verified version: while the current version is not yet verified in every region (last known good is older), the next ramp step waits (AWS AppConfig runs one deployment at a time).',
    message:
      'version {currentVersion} is not verified in every region yet: wait for its verification before widening exposure',
    path: 'rollout.percentage',
    when: all(isProduction, isOperatorChange, isTrue('exposureIncreased'), isTrue('currentUnverified')),
  },
  {
    id: 'FFC-ROLLOUT-016',
    why: 'Changing allocation mid-experiment mixes cohorts and biases the result.',
    description:
      'A running production experiment keeps its allocation: changing the percentage mid-experiment mixes cohorts and biases the result (turn it off, or end it, instead).',
    message: 'the experiment is running at a partial allocation and it changes: keep the percentage until it ends',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      fact('purpose', 'equal', 'experiment'),
      isTrue('currentRolloutPartial'),
      isTrue('rolloutPercentageChanged'),
    ),
  },
  {
    id: 'FFC-ROLLOUT-017',
    why: 'An experiment without a control group measures nothing.',
    description:
      'An experiment that runs has a comparison group: a partial rollout or targeting, so some units get the off value to compare against.',
    message: 'experiment {flagKey} serves its value to everyone it reaches: give it a partial rollout (e.g. 50%)',
    path: 'rollout.percentage',
    when: all(
      fact('purpose', 'equal', 'experiment'),
      exceeds('effectiveRollout', 0),
      isFalse('rolloutPartial'),
      fact('targetingCount', 'equal', 0),
    ),
  },
]);
