import {
  all,
  any,
  anyOf,
  defineFamily,
  exceeds,
  fact,
  isFalse,
  isOperatorChange,
  isProduction,
  isTrue,
  not,
  targetsTier0,
} from './define';

/** How long a flag of each purpose may live, in days from its creation (Unleash's defaults; permanent: no limit). */
export const LIFETIME_DAYS = { release: 40, experiment: 40, ops: 7, temporary: 90 } as const;
const LIFETIME_TEXT = Object.entries(LIFETIME_DAYS)
  .map(([purpose, days]) => `${purpose} ${days} days`)
  .join(', ');

const beyondLifetime = (days: 'flagAgeDays' | 'expiresAfterCreationDays') =>
  any(
    ...Object.entries(LIFETIME_DAYS).map(([purpose, limit]) =>
      all(fact('purpose', 'equal', purpose), exceeds(days, limit)),
    ),
  );

export const lifecycleRules = defineFamily('lifecycle', [
  {
    id: 'FFC-TEMP-001',
    why: 'A temporary flag without an end date lives for ever.',
    description: 'A temporary flag has an expiry date.',
    message: "temporary flag without expiresAt: set 'expiresAt' to when the flag will be removed",
    path: 'expiresAt',
    when: all(fact('temporary', 'equal', true), isFalse('hasExpiresAt')),
  },
  {
    id: 'FFC-TEMP-002',
    why: 'An expiry on a permanent flag is a date nobody acts on.',
    description: 'Only temporary flags expire.',
    message: "expiresAt is set on a permanent flag: set 'temporary: true' or remove expiresAt",
    path: 'temporary',
    when: all(isTrue('hasExpiresAt'), not(fact('temporary', 'equal', true))),
  },
  {
    id: 'FFC-TEMP-003',
    why: 'An unreadable expiry never expires.',
    integrity: true,
    description: 'expiresAt is a valid ISO 8601 instant.',
    message: "expiresAt '{expiresAt}' is not an ISO 8601 instant such as 2025-03-31T00:00:00Z",
    path: 'expiresAt',
    when: all(isTrue('hasExpiresAt'), fact('expiresInDays', 'equal', null)),
  },
  {
    id: 'FFC-TEMP-004',
    why: 'A past expiry means the flag should already be gone.',
    description: 'expiresAt lies in the future.',
    message: 'expiresAt {expiresAt} has passed: remove the flag or set a new expiry',
    path: 'expiresAt',
    when: fact('expiresInDays', 'lessThanInclusive', 0),
  },
  {
    id: 'FFC-TEMP-005',
    why: 'Release flags left for months become permanent branches in the code.',
    description: 'A temporary flag expires within 90 days: release flags are debt.',
    message: 'expiresAt is {expiresInDays} days away: temporary flags live at most 90 days',
    path: 'expiresAt',
    when: exceeds('expiresInDays', 90),
  },
  {
    id: 'FFC-TEMP-006',
    why: 'A flag that expires tomorrow may vanish in the middle of its rollout.',
    severity: 'warning',
    description: 'A production flag does not expire within a day of a change (it may vanish mid-rollout).',
    message: 'the flag expires in {expiresInDays} days: extend expiresAt or finish the rollout first',
    path: 'expiresAt',
    when: all(isProduction, exceeds('expiresInDays', 0), fact('expiresInDays', 'lessThan', 1)),
  },
  {
    id: 'FFC-TEMP-007',
    why: 'An expired flag is due for removal; new values extend its life by stealth.',
    description: 'An expired flag only gets a new expiry or goes back; its value does not change.',
    message: 'the flag expired at {currentExpiresAt}: remove it, or extend expiresAt in a change of its own',
    path: 'value',
    when: all(isOperatorChange, isTrue('currentExpired'), isTrue('valueChanged')),
  },
  {
    id: 'FFC-TEMP-008',
    why: 'Release flags on the request path are the most expensive debt.',
    description: 'A temporary flag that reaches a tier-0 service expires within 30 days.',
    message: 'the flag reaches tier-0 services and expires in {expiresInDays} days: tier-0 release flags live 30 days',
    path: 'expiresAt',
    when: all(targetsTier0, exceeds('expiresInDays', 30), fact('expiresInDays', 'lessThanInclusive', 90)),
  },
  {
    id: 'FFC-TEMP-009',
    why: 'Flags past their lifetime are stale branches in the code that nobody dares to remove.',
    description: `A flag lives no longer than its purpose allows, counted from its creation (Unleash's expected lifetimes): ${LIFETIME_TEXT}. Turning it off stays possible; everything else waits until it is removed or declared permanent.`,
    message:
      "the {purpose} flag was created {flagAgeDays} days ago, beyond its lifetime: remove it, or set purpose 'permanent' in a change of its own",
    path: 'purpose',
    when: beyondLifetime('flagAgeDays'),
  },
  {
    id: 'FFC-TEMP-010',
    why: 'A release flag that never expires, or a permanent one that does, defeats lifetime rules.',
    description:
      'A declared purpose agrees with temporary: release, experiment, ops and temporary flags end, permanent ones do not.',
    message:
      "purpose '{purpose}' and temporary: {temporary} disagree: set temporary (and expiresAt) to match the purpose",
    path: 'purpose',
    when: any(
      all(fact('purpose', 'in', ['release', 'experiment', 'ops', 'temporary']), not(fact('temporary', 'equal', true))),
      all(fact('purpose', 'equal', 'permanent'), fact('temporary', 'equal', true)),
    ),
  },
  {
    id: 'FFC-TEMP-011',
    why: 'Pushing the expiry again and again keeps a release flag for ever.',
    description: `A temporary flag's expiry lies within its purpose's lifetime from creation (${LIFETIME_TEXT}): extending it cannot keep a release flag for ever.`,
    message:
      'expiresAt is {expiresAfterCreationDays} days after the flag was created, beyond the lifetime of a {purpose} flag: expire it earlier',
    path: 'expiresAt',
    when: beyondLifetime('expiresAfterCreationDays'),
  },
  {
    id: 'FFC-TEMP-012',
    why: 'A ramp abandoned half-way leaves two code paths live with nobody watching.',
    severity: 'warning',
    description:
      "A partial rollout that has stood unchanged for 30 days is stale (Unleash's stale flags): finish it (100%) or turn it off instead of editing around it.",
    message: 'the rollout has stood at a partial percentage for {currentAgeDays} days: finish it or turn the flag off',
    path: 'rollout.percentage',
    when: all(isTrue('currentRolloutPartial'), exceeds('currentAgeDays', 30), isTrue('rolloutPartial')),
  },
  {
    id: 'FFC-TEMP-013',
    why: 'A flag served to everyone is dead code with a switch that can still break things.',
    severity: 'warning',
    description:
      'A temporary flag that has served its value to everyone for 14 days has done its job: remove it from the code and archive it.',
    message: 'the flag has served everyone for {currentAgeDays} days: remove it from the code and archive it',
    path: 'temporary',
    when: all(
      fact('temporary', 'equal', true),
      isTrue('currentServesEveryone'),
      isTrue('servesEveryone'),
      exceeds('currentAgeDays', 14),
    ),
  },
  {
    id: 'FFC-TEMP-014',
    why: 'Archiving mid-rollout flips part of the audience to the code default at once.',
    description:
      'In production a flag is archived only once it serves one value to everyone: archiving a partial rollout or a targeted flag flips part of the audience to the code default at once.',
    message: 'the flag is partially rolled out or targeted: finish or turn it off before archiving it',
    path: 'rollout',
    when: all(isProduction, isTrue('archiving'), any(isTrue('rolloutPartial'), anyOf('targetingCount'))),
  },
  {
    id: 'FFC-TEMP-015',
    why: 'Re-labelling a flag permanent while changing its value hides the escape from review.',
    description:
      "A flag's purpose changes in a change of its own, never with its value: declaring a release flag permanent to escape its lifetime is reviewed on its own.",
    message: 'purpose changes to {purpose} together with the value: change the purpose in its own change',
    path: 'purpose',
    when: all(isTrue('purposeChanged'), isTrue('valueChanged')),
  },
  {
    id: 'FFC-TEMP-016',
    why: 'Without a purpose, the lifetime of a flag cannot be enforced.',
    description:
      'A new production flag declares its purpose (release, experiment, ops, temporary or permanent), as Unleash asks for a flag type: it sets how long the flag may live.',
    message: 'the new flag {flagKey} has no purpose: set purpose to release, experiment, ops, temporary or permanent',
    path: 'purpose',
    when: all(isProduction, isOperatorChange, isFalse('currentExists'), isFalse('purposeDeclared')),
  },
]);
