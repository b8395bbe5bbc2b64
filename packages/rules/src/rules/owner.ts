import { all, anyOf, defineFamily, exceeds, fact, isFalse, isProduction, isSystemWrite, isTrue } from './define';
import { PLATFORM_TEAM } from '../catalogue/catalogue';

export const ownershipRules = defineFamily('ownership', [
  {
    id: 'FFC-OWNER-001',
    why: 'An unknown owner means nobody gets paged when the flag breaks something.',
    integrity: true,
    description: 'The owner is a team of the catalogue.',
    message: "owner '{owner}' is not a catalogue team: use one of the teams in `ffc services list`",
    path: 'owner',
    when: isFalse('ownerExists'),
  },
  {
    id: 'FFC-OWNER-002',
    why: 'The owner must be able to judge the effect on the services it reaches.',
    integrity: true,
    description: 'The owner team owns at least one service the flag targets.',
    message: "team '{owner}' owns none of the targeted services: make a consuming team the owner",
    path: 'owner',
    when: all(isTrue('ownerExists'), fact('wildcard', 'equal', false), fact('ownerOwnsTargetService', 'equal', false)),
  },
  {
    id: 'FFC-OWNER-003',
    why: 'A flag for everything affects every team; the platform team answers for it.',
    integrity: true,
    description: `Flags for every service ("*") are owned by the ${PLATFORM_TEAM} team.`,
    message: `a flag for all services is owned by '{owner}': transfer it to '${PLATFORM_TEAM}' or list your services`,
    path: 'owner',
    when: all(fact('wildcard', 'equal', true), fact('owner', 'notEqual', PLATFORM_TEAM)),
  },
  {
    id: 'FFC-OWNER-004',
    why: 'A transfer plus a value change has no single reviewer who owns both.',
    integrity: true,
    description: 'An ownership transfer changes nothing else, so each change has one reviewer.',
    message:
      'owner changes from {currentOwner} to {owner} together with the value: transfer ownership in its own change',
    path: 'owner',
    when: all(isTrue('ownerChanged'), isTrue('valueChanged')),
  },
  {
    id: 'FFC-OWNER-005',
    why: "Another team's tier-0 service is theirs to risk.",
    integrity: true,
    description: "In production, a flag that reaches another team's tier-0 service is owned by that team.",
    message: "the flag reaches other teams' tier-0 services {foreignTier0Services}: let their owners own the flag",
    path: 'services',
    when: all(isProduction, fact('wildcard', 'equal', false), anyOf('foreignTier0ServiceCount')),
  },
  {
    id: 'FFC-OWNER-006',
    why: 'A restore or rollback writes back a known version; a new owner is not known.',
    integrity: true,
    description: 'Restores and rollbacks never transfer ownership.',
    message: 'a {kind} changes the owner: restores and rollbacks write back a known version unchanged',
    path: 'owner',
    when: all(isSystemWrite, isTrue('ownerChanged')),
  },
  {
    id: 'FFC-OWNER-007',
    why: 'Flags spanning many teams need an owner that answers to all of them.',
    integrity: true,
    description: `A flag that spans services of more than 3 teams is owned by the ${PLATFORM_TEAM} team.`,
    message: `the flag spans {targetTeamCount} teams: transfer it to '${PLATFORM_TEAM}' or split it per team`,
    path: 'owner',
    when: all(exceeds('targetTeamCount', 3), fact('owner', 'notEqual', PLATFORM_TEAM)),
  },
]);
