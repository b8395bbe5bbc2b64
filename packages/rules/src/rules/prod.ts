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
/** Accounts many people (or machines) use: neither a change nor an approval by one of them names a person. */
const SHARED_ACCOUNTS = ['admin', 'root', 'administrator', 'deploy', 'jenkins', 'ci', 'system'];

export const governanceRules = defineFamily('governance', [
  {
    id: 'FFC-PROD-001',
    why: 'A ticket ties a production change to its review and its incident.',
    description: 'A production change references a ticket.',
    message: "production change without a ticket: set 'ticket' (e.g. CHG-1234)",
    path: 'ticket',
    when: all(isProduction, isOperatorChange, isFalse('hasTicket')),
  },
  {
    id: 'FFC-PROD-002',
    why: 'Malformed tickets do not link; the trail breaks.',
    description: 'Tickets look like PROJECT-123.',
    message: "ticket '{ticket}' must look like PROJECT-123",
    path: 'ticket',
    when: all(isTrue('hasTicket'), fact('ticket', 'notMatches', '^[A-Z][A-Z0-9]{1,9}-[0-9]{1,7}$')),
  },
  {
    id: 'FFC-PROD-003',
    why: 'Without a reason, the on-call engineer cannot tell why production changed.',
    description: 'A production change explains itself in a reason of at least 10 characters.',
    message: 'the reason has {reasonLength} characters: explain in a sentence why production changes',
    path: 'reason',
    when: all(isProduction, fact('reasonLength', 'lessThan', 10)),
  },
  {
    id: 'FFC-PROD-004',
    why: 'Outside the windows fewer people watch; problems last longer.',
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
    why: 'Freezes protect peaks (sales, launches) when an outage costs the most.',
    description: 'No production change during a change freeze.',
    message: 'production is frozen ({activeFreeze}): wait until the freeze ends, or use a kill switch',
    path: 'changedAt',
    when: all(isProduction, isOperatorChange, fact('activeFreeze', 'notEqual', null), notEmergency),
  },
  {
    id: 'FFC-PROD-006',
    why: "Another stage's policy would judge the change by the wrong rules.",
    integrity: true,
    description: 'The change is validated against the policy of its own stage.',
    message:
      "the change is for stage '{stage}' but was validated with the policy of '{policyStage}': pass the right stage",
    path: 'stage',
    when: isFalse('stageMatchesPolicy'),
  },
  {
    id: 'FFC-PROD-007',
    why: 'A clock in the future defeats rate limits and orders history wrongly.',
    integrity: true,
    description: 'changedAt is not more than 5 minutes in the future (a wrong clock would defeat rate limits).',
    message: 'changedAt is {changedAtAheadSeconds} s in the future: check the writer clock',
    path: 'changedAt',
    when: exceeds('changedAtAheadSeconds', 300),
  },
  {
    id: 'FFC-PROD-008',
    why: 'An unreadable instant breaks every time-based rule and the audit order.',
    integrity: true,
    description: 'changedAt is a valid ISO 8601 instant.',
    message: "changedAt '{changedAt}' is not an ISO 8601 instant such as 2025-01-31T12:00:00Z",
    path: 'changedAt',
    when: isFalse('changedAtValid'),
  },
  {
    id: 'FFC-PROD-009',
    why: 'Automation that changes production has no person to answer for it.',
    description: 'Automation accounts do not make production changes; they only restore and roll back.',
    message: "'{changedBy}' is an automation account: production changes need a person",
    path: 'changedBy',
    when: all(isProduction, isOperatorChange, isTrue('changedByIsAutomation')),
  },
  {
    id: 'FFC-PROD-010',
    why: 'A placeholder reason is no reason; the trail says nothing.',
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
    why: 'The emergency bypass exists for the brake, not for skipping the window.',
    description: 'The emergency bypass of windows and freezes is only for kill switches.',
    message: `reason starts with ${EMERGENCY_PREFIX} but '{flagKey}' is not a kill switch: wait for a change window`,
    path: 'reason',
    when: all(isProduction, isTrue('emergency'), not(isKillSwitch)),
  },
  {
    id: 'FFC-PROD-012',
    why: 'A production stage judged by test policy skips every production guard.',
    integrity: true,
    description: 'A stage named like production is validated with the production policy.',
    message: "stage '{stage}' looks like production but the policy says non-production: set --production",
    path: 'stage',
    when: all(fact('production', 'equal', false), fact('stage', 'matchesIgnoringCase', '^(prod|production|live)$')),
  },
  {
    id: 'FFC-PROD-013',
    why: 'A new flag for every service at full exposure reaches 156 services in 12 regions at once.',
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
    why: 'Shared accounts hide who changed production.',
    integrity: true,
    description: 'Shared accounts (admin, root, deploy…) do not change production: every change has a person.',
    message: "'{changedBy}' is a shared account: change production under your own identity",
    path: 'changedBy',
    when: all(isProduction, fact('changedBy', 'in', SHARED_ACCOUNTS)),
  },
  {
    id: 'FFC-PROD-015',
    why: 'A replayed or backdated document would skip the rate and window rules.',
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
    why: 'Tier-0 services stop customers when wrong; any change there gets a second pair of eyes.',
    description:
      "A production change that reaches tier-0 services is approved by a second person (LaunchDarkly's approvals, Unleash's change requests): one mistake there stops customers.",
    message:
      "a production change to tier-0 services approved by '{approvedBy}': have someone other than {changedBy} approve it and set approvedBy",
    path: 'approvedBy',
    when: all(isProduction, isOperatorChange, targetsTier0, isFalse('approvedBySomeoneElse')),
  },
  {
    id: 'FFC-PROD-017',
    why: 'What production serves changes only with a second person, as LaunchDarkly and Unleash require.',
    description:
      'A production change that changes what is served (a new flag, the value, off value, targeting or prerequisites, or more exposure) is approved by a second person, whatever the tier: LaunchDarkly requires approvals per environment.',
    message:
      'a production change of what {flagKey} serves needs a second person: have someone other than {changedBy} approve it and set approvedBy',
    path: 'approvedBy',
    when: all(
      isProduction,
      isOperatorChange,
      any(isTrue('contentChanged'), isTrue('exposureIncreased')),
      isFalse('approvedBySomeoneElse'),
    ),
  },
  {
    id: 'FFC-PROD-018',
    why: 'An approval by a bot or a shared account is no second person.',
    description:
      'An approval names a person: not an automation account (svc-, bot-, ci-), the connector (ffc-) or a shared account.',
    message: "approvedBy '{approvedBy}' is not a person: have a colleague approve under their own identity",
    path: 'approvedBy',
    when: all(
      fact('approvedBy', 'notEqual', null),
      any(fact('approvedBy', 'matches', '^(svc|bot|ci|ffc)-'), fact('approvedBy', 'in', SHARED_ACCOUNTS)),
    ),
  },
  {
    id: 'FFC-PROD-019',
    why: 'A change that never ran below production is tested on customers.',
    description:
      'Promotion order: a change of what is served ran in the stage below first (staging before live). A known no refuses; an unknown passes, because no write path supplies the proof yet and demanding it would refuse every production change.',
    message:
      "the content of this change has not run in the stage below '{stage}': apply it there first, then promote it",
    path: 'stage',
    when: all(isOperatorChange, isTrue('contentChanged'), fact('ranInLowerStage', 'equal', false)),
  },
  {
    id: 'FFC-PROD-020',
    why: 'Identity, approval and rate rules trust changedBy; a forged author defeats them all.',
    integrity: true,
    description:
      'changedBy is the identity the write path authenticated, when it knows one: a document cannot name someone else as its author (identity and rate rules trust changedBy).',
    message:
      "changedBy '{changedBy}' is not the authenticated writer '{authenticatedWriter}': write under your own identity",
    path: 'changedBy',
    when: isTrue('writerMismatch'),
  },
]);
