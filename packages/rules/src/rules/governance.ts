import {
  all,
  any,
  defineFamily,
  exceeds,
  fact,
  isFalse,
  isKillSwitch,
  isOperatorChange,
  isProduction,
  isTrue,
  not,
  targetsTier0,
} from './define';

/** A production change whose reason starts with this may bypass change windows and freezes (kill switches only). */
export const EMERGENCY_PREFIX = 'EMERGENCY:';
const notEmergency = isFalse('emergency');

export const governanceRules = defineFamily('governance', [
  {
    id: 'FFC-PROD-001',
    description: 'A production change references a ticket.',
    message: "production change without a ticket: set 'ticket' (e.g. CHG-1234)",
    path: 'ticket',
    when: all(isProduction, isOperatorChange, isFalse('hasTicket')),
  },
  {
    id: 'FFC-PROD-002',
    description: 'Tickets look like PROJECT-123.',
    message: "ticket '{ticket}' must look like PROJECT-123",
    path: 'ticket',
    when: all(isTrue('hasTicket'), fact('ticket', 'notMatches', '^[A-Z][A-Z0-9]{1,9}-[0-9]{1,7}$')),
  },
  {
    id: 'FFC-PROD-003',
    description: 'A production change explains itself in a reason of at least 10 characters.',
    message: 'the reason has {reasonLength} characters: explain in a sentence why production changes',
    path: 'reason',
    when: all(isProduction, fact('reasonLength', 'lessThan', 10)),
  },
  {
    id: 'FFC-PROD-004',
    description: "Production changes happen inside the stage's change windows.",
    message: 'production is outside its change windows at {changedAt}: wait for the next window, or use a kill switch',
    path: 'changedAt',
    when: all(
      isProduction,
      isOperatorChange,
      isTrue('changeWindowsConfigured'),
      isFalse('withinChangeWindow'),
      notEmergency,
    ),
  },
  {
    id: 'FFC-PROD-005',
    description: 'No production change during a change freeze.',
    message: 'production is frozen ({activeFreeze}): wait until the freeze ends, or use a kill switch',
    path: 'changedAt',
    when: all(isProduction, isOperatorChange, fact('activeFreeze', 'notEqual', null), notEmergency),
  },
  {
    id: 'FFC-PROD-006',
    integrity: true,
    description: 'The change is validated against the policy of its own stage.',
    message:
      "the change is for stage '{stage}' but was validated with the policy of '{policyStage}': pass the right stage",
    path: 'stage',
    when: isFalse('stageMatchesPolicy'),
  },
  {
    id: 'FFC-PROD-007',
    integrity: true,
    description: 'changedAt is not more than 5 minutes in the future (a wrong clock would defeat rate limits).',
    message: 'changedAt is {changedAtAheadSeconds} s in the future: check the writer clock',
    path: 'changedAt',
    when: exceeds('changedAtAheadSeconds', 300),
  },
  {
    id: 'FFC-PROD-008',
    integrity: true,
    description: 'changedAt is a valid ISO 8601 instant.',
    message: "changedAt '{changedAt}' is not an ISO 8601 instant such as 2025-01-31T12:00:00Z",
    path: 'changedAt',
    when: isFalse('changedAtValid'),
  },
  {
    id: 'FFC-PROD-009',
    description: 'Automation accounts do not make production changes; they only restore and roll back.',
    message: "'{changedBy}' is an automation account: production changes need a person",
    path: 'changedBy',
    when: all(isProduction, isOperatorChange, isTrue('changedByIsAutomation')),
  },
  {
    id: 'FFC-PROD-010',
    description: 'A production reason is not a placeholder (wip, test, fix, update…).',
    message: "reason '{reason}' says nothing: write why this change is needed",
    path: 'reason',
    when: all(
      isProduction,
      fact('reason', 'matchesIgnoringCase', '^\\s*(wip|test|testing|fix|update|change|asdf|n/?a|tbd|-|\\.)\\s*$'),
    ),
  },
  {
    id: 'FFC-PROD-011',
    description: 'The emergency bypass of windows and freezes is only for kill switches.',
    message: `reason starts with ${EMERGENCY_PREFIX} but '{flagKey}' is not a kill switch: wait for a change window`,
    path: 'reason',
    when: all(isProduction, isTrue('emergency'), not(isKillSwitch)),
  },
  {
    id: 'FFC-PROD-012',
    integrity: true,
    description: 'A stage named like production is validated with the production policy.',
    message: "stage '{stage}' looks like production but the policy says non-production: set --production",
    path: 'stage',
    when: all(fact('production', 'equal', false), fact('stage', 'matchesIgnoringCase', '^(prod|production|live)$')),
  },
  {
    id: 'FFC-PROD-013',
    description:
      'A new production flag for every service ("*") starts at a rollout of 10% or less, whatever its type: one mistake would reach 156 services in 12 regions at once. It then ramps like any flag (FFC-ROLLOUT-004).',
    message: 'a new flag for all services reaches {effectiveRollout}% at once: create it with a rollout of 10% or less',
    path: 'rollout.percentage',
    when: all(
      isProduction,
      isOperatorChange,
      isFalse('currentExists'),
      fact('wildcard', 'equal', true),
      exceeds('effectiveRollout', 10),
    ),
  },
  {
    id: 'FFC-PROD-014',
    integrity: true,
    description: 'Shared accounts (admin, root, deploy…) do not change production: every change has a person.',
    message: "'{changedBy}' is a shared account: change production under your own identity",
    path: 'changedBy',
    when: all(
      isProduction,
      fact('changedBy', 'in', ['admin', 'root', 'administrator', 'deploy', 'jenkins', 'ci', 'system']),
    ),
  },
  {
    id: 'FFC-PROD-015',
    integrity: true,
    description:
      'changedAt is not older than 24 hours nor earlier than the version it replaces: a replayed or backdated document is not a change.',
    message:
      'changedAt is {changedAtAgeHours} hours old or earlier than the current version: write the change again with the current time',
    path: 'changedAt',
    when: any(exceeds('changedAtAgeHours', 24), isTrue('changedAtBeforeCurrent')),
  },
  {
    id: 'FFC-PROD-016',
    description:
      "A production change that reaches tier-0 services is approved by a second person (LaunchDarkly's approvals, Unleash's change requests): one mistake there stops customers.",
    message:
      "a production change to tier-0 services approved by '{approvedBy}': have someone other than {changedBy} approve it and set approvedBy",
    path: 'approvedBy',
    when: all(isProduction, isOperatorChange, targetsTier0, isFalse('approvedBySomeoneElse')),
  },
]);
