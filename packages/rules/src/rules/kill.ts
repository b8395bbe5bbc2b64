import { all, anyOf, defineFamily, fact, isKillSwitch, isProduction, isTrue, not } from './define';

/** The tag that makes a flag a kill switch: an instant, unconditional off switch for a feature. */
export const KILL_SWITCH_TAG = 'kill-switch';

export const killSwitchRules = defineFamily('kill-switch', [
  {
    id: 'FFC-KILL-001',
    why: 'A kill switch must be on or off, nothing to parse under pressure.',
    integrity: true,
    description: 'A kill switch is a boolean flag.',
    message: 'kill switch {flagKey} has type {type}: kill switches are boolean',
    path: 'type',
    when: all(isKillSwitch, fact('type', 'notEqual', 'boolean')),
  },
  {
    id: 'FFC-KILL-002',
    why: 'A kill switch that expired is missing when the incident comes.',
    description: 'A kill switch is permanent: it must be there when the incident comes.',
    message: 'kill switch {flagKey} is temporary: remove temporary and expiresAt',
    path: 'temporary',
    when: all(isKillSwitch, fact('temporary', 'equal', true)),
  },
  {
    id: 'FFC-KILL-003',
    why: 'A partial kill switch leaves part of the traffic on the broken path.',
    description: 'A kill switch has no rollout: it acts on everyone at once.',
    message: 'kill switch {flagKey} has a rollout: remove it',
    path: 'rollout',
    when: all(isKillSwitch, fact('rolloutPercentage', 'notEqual', null)),
  },
  {
    id: 'FFC-KILL-004',
    why: 'Targeting on a kill switch leaves unmatched users on the broken path.',
    description: 'A kill switch has no targeting: it acts on everyone at once.',
    message: 'kill switch {flagKey} has targeting rules: remove them',
    path: 'targeting',
    when: all(isKillSwitch, anyOf('targetingCount')),
  },
  {
    id: 'FFC-KILL-005',
    why: 'A kill switch that depends on another flag fails when that flag is broken.',
    description: 'A kill switch has no prerequisites: it must work when other flags are broken.',
    message: 'kill switch {flagKey} has prerequisites: remove them',
    path: 'prerequisites',
    when: all(isKillSwitch, anyOf('prerequisiteCount')),
  },
  {
    id: 'FFC-KILL-006',
    why: 'An untagged kill-... flag is not found by incident tooling.',
    description: `Keys starting with 'kill-' are kill switches and carry the '${KILL_SWITCH_TAG}' tag.`,
    message: `flag {flagKey} is named like a kill switch: add the tag '${KILL_SWITCH_TAG}' or rename it`,
    path: 'tags',
    when: all(fact('flagKey', 'matches', '^kill-'), not(isKillSwitch)),
  },
  {
    id: 'FFC-KILL-007',
    why: 'A kill switch named otherwise is not found in an incident.',
    description: `Flags tagged '${KILL_SWITCH_TAG}' have keys starting with 'kill-', so they are found in an incident.`,
    message: 'kill switch {flagKey} must be named kill-<feature>: rename it',
    path: 'flagKey',
    when: all(isKillSwitch, fact('flagKey', 'notMatches', '^kill-')),
  },
  {
    id: 'FFC-KILL-008',
    why: 'Archiving an engaged kill switch turns the broken feature back on for everyone.',
    description:
      'In production an engaged kill switch is not archived: archiving it releases the brake for everyone at once. Release it (false) first, as a change of its own.',
    message: 'kill switch {flagKey} is engaged: release it in a change of its own before archiving it',
    path: 'value',
    when: all(isProduction, isTrue('archiving'), isKillSwitch, fact('value', 'equal', true)),
  },
]);
