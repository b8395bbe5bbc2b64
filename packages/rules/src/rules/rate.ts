import { all, any, defineFamily, fact, isOperatorChange, isProduction, targetsTier0 } from './define';

const atLeast = (name: Parameters<typeof fact>[0], n: number) => fact(name, 'greaterThanInclusive', n);

export const rateRules = defineFamily('rate', [
  {
    id: 'FFC-RATE-001',
    why: 'Each change fans out to 156 queues and is verified in 12 regions; floods hide faults.',
    description: 'A production flag changes at most 10 times an hour.',
    message:
      'the flag changed {changesLastHour} times in the last hour: slow down, each change is verified in 12 regions',
    path: 'flagKey',
    when: all(isProduction, isOperatorChange, atLeast('changesLastHour', 10)),
  },
  {
    id: 'FFC-RATE-002',
    why: 'Many changes a day means nobody sees what each one did.',
    description: 'A production flag changes at most 30 times a day (3 where it reaches tier-0 services).',
    message:
      'the flag changed {changesLastDay} times today: plan the changes and batch them (30 a day, 3 on tier-0 services)',
    path: 'flagKey',
    when: all(
      isProduction,
      isOperatorChange,
      any(atLeast('changesLastDay', 30), all(targetsTier0, atLeast('changesLastDay', 3))),
    ),
  },
  {
    id: 'FFC-RATE-003',
    why: 'A script in a loop floods the fan-out and the audit trail.',
    description: 'A non-production flag changes at most 60 times an hour (scripts in a loop flood the fan-out).',
    message: 'the flag changed {changesLastHour} times in the last hour: check for a script in a loop',
    path: 'flagKey',
    when: all(fact('production', 'equal', false), atLeast('changesLastHour', 60)),
  },
  {
    id: 'FFC-RATE-004',
    why: 'Back-to-back changes overlap their verifications: a failure cannot be attributed.',
    description: 'Production changes of one flag are at least 5 minutes apart, so verification completes.',
    message: 'the last change was {minutesSinceLastChange} minutes ago: wait until it is verified (5 minutes)',
    path: 'flagKey',
    when: all(isProduction, isOperatorChange, fact('minutesSinceLastChange', 'lessThan', 5)),
  },
  {
    id: 'FFC-RATE-005',
    why: 'A flapping flag means a cause nobody has found; more changes repeat it.',
    description: 'A production flag rolled back twice in 24 hours is flapping: fix the cause before changing it again.',
    message: 'the flag was rolled back {rollbacksLastDay} times in 24 hours: find the cause before the next change',
    path: 'flagKey',
    when: all(isProduction, isOperatorChange, atLeast('rollbacksLastDay', 2)),
  },
  {
    id: 'FFC-RATE-006',
    why: 'Repeated restores mean a writer bypasses validation and fights the validator.',
    integrity: true,
    description: 'At most 3 restores of one flag per hour: more means a writer and the validator are fighting.',
    message: 'the flag was restored {restoresLastHour} times in an hour: stop the writer that bypasses validation',
    path: 'flagKey',
    when: all(fact('kind', 'equal', 'restore'), atLeast('restoresLastHour', 3)),
  },
  {
    id: 'FFC-RATE-007',
    why: 'A rollback that fails verification needs a person, not another rollback.',
    integrity: true,
    description: 'A rollback never follows a rollback: a failing rollback raises an alarm instead.',
    message: 'the previous write was already a rollback: page the owner instead of rolling back again',
    path: 'kind',
    when: all(fact('kind', 'equal', 'rollback'), fact('lastChangeKind', 'equal', 'rollback')),
  },
  {
    id: 'FFC-RATE-008',
    why: 'One person changing a flag over and over is debugging in production.',
    description: 'One person makes at most 5 production changes to a flag per hour.',
    message: '{changedBy} changed this flag {changesByAuthorLastHour} times this hour: pair with a reviewer',
    path: 'changedBy',
    when: all(isProduction, isOperatorChange, atLeast('changesByAuthorLastHour', 5)),
  },
  {
    id: 'FFC-RATE-009',
    why: 'Ramping straight back after an automatic rollback repeats the fault the verifier found.',
    description:
      'After an automatic rollback, exposure does not grow again for an hour: the verifier found a fault, so find it before ramping back (a guarded rollout pauses).',
    message:
      'the flag was rolled back automatically {minutesSinceLastChange} minutes ago: find the cause before widening exposure again (wait 60 minutes)',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      fact('lastChangeKind', 'equal', 'rollback'),
      fact('minutesSinceLastChange', 'lessThan', 60),
      fact('exposureIncreased', 'equal', true),
    ),
  },
]);
