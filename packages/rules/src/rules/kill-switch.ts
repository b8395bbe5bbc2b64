import { all, anyOf, defineFamily, fact, isKillSwitch, not } from './define';

/** The tag that makes a flag a kill switch: an instant, unconditional off switch for a feature. */
export const KILL_SWITCH_TAG = 'kill-switch';

export const killSwitchRules = defineFamily('kill-switch', [
  {
    id: 'FFC-KILL-001',
    integrity: true,
    description: 'A kill switch is a boolean flag.',
    message: 'kill switch {flagKey} has type {type}: kill switches are boolean',
    path: 'type',
    when: all(isKillSwitch, fact('type', 'notEqual', 'boolean')),
  },
  {
    id: 'FFC-KILL-002',
    description: 'A kill switch is permanent: it must be there when the incident comes.',
    message: 'kill switch {flagKey} is temporary: remove temporary and expiresAt',
    path: 'temporary',
    when: all(isKillSwitch, fact('temporary', 'equal', true)),
  },
  {
    id: 'FFC-KILL-003',
    description: 'A kill switch has no rollout: it acts on everyone at once.',
    message: 'kill switch {flagKey} has a rollout: remove it',
    path: 'rollout',
    when: all(isKillSwitch, fact('rolloutPercentage', 'notEqual', null)),
  },
  {
    id: 'FFC-KILL-004',
    description: 'A kill switch has no targeting: it acts on everyone at once.',
    message: 'kill switch {flagKey} has targeting rules: remove them',
    path: 'targeting',
    when: all(isKillSwitch, anyOf('targetingCount')),
  },
  {
    id: 'FFC-KILL-005',
    description: 'A kill switch has no prerequisites: it must work when other flags are broken.',
    message: 'kill switch {flagKey} has prerequisites: remove them',
    path: 'prerequisites',
    when: all(isKillSwitch, anyOf('prerequisiteCount')),
  },
  {
    id: 'FFC-KILL-006',
    description: `Keys starting with 'kill-' are kill switches and carry the '${KILL_SWITCH_TAG}' tag.`,
    message: `flag {flagKey} is named like a kill switch: add the tag '${KILL_SWITCH_TAG}' or rename it`,
    path: 'tags',
    when: all(fact('flagKey', 'matches', '^kill-'), not(isKillSwitch)),
  },
  {
    id: 'FFC-KILL-007',
    description: `Flags tagged '${KILL_SWITCH_TAG}' have keys starting with 'kill-', so they are found in an incident.`,
    message: 'kill switch {flagKey} must be named kill-<feature>: rename it',
    path: 'flagKey',
    when: all(isKillSwitch, fact('flagKey', 'notMatches', '^kill-')),
  },
]);
