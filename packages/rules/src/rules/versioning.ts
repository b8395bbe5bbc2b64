import { all, defineFamily, fact, isFalse, isOperatorChange, isSystemWrite, isTrue, not } from './define';

/** Identities starting with this prefix are the connector's own writers (validator, rollback). */
export const CONNECTOR_IDENTITY_PREFIX = 'ffc-';

export const versioningRules = defineFamily('versioning', [
  {
    id: 'FFC-VER-001',
    integrity: true,
    description: 'version is a positive integer.',
    message: 'version {version} must be a positive integer',
    path: 'version',
    when: isFalse('versionIsPositiveInteger'),
  },
  {
    id: 'FFC-VER-002',
    integrity: true,
    description: 'A new flag starts at version 1.',
    message: 'the flag does not exist yet but version is {version}: create it with version 1',
    path: 'version',
    when: all(isFalse('currentExists'), fact('version', 'notEqual', 1)),
  },
  {
    id: 'FFC-VER-003',
    integrity: true,
    description: 'A change replaces the current version: version = current version + 1.',
    message: 'version {version} does not follow the current version {currentVersion}: re-read the flag and retry',
    path: 'version',
    when: all(isTrue('currentExists'), fact('versionStep', 'notEqual', 1)),
  },
  {
    id: 'FFC-VER-004',
    integrity: true,
    description: 'Restores and rollbacks apply to a flag that exists.',
    message: 'a {kind} of a flag that does not exist: nothing to go back to',
    path: 'kind',
    when: all(isSystemWrite, isFalse('currentExists')),
  },
  {
    id: 'FFC-VER-005',
    integrity: true,
    severity: 'warning',
    description: 'A change changes something: an identical write only costs a fan-out and a verification.',
    message: 'nothing changes compared with version {currentVersion}: skip this write',
    path: '',
    when: all(isOperatorChange, isTrue('currentExists'), isFalse('anythingChanged')),
  },
  {
    id: 'FFC-VER-006',
    integrity: true,
    description: `Operators' changes are not written under the connector's identity (${CONNECTOR_IDENTITY_PREFIX}*).`,
    message: `changedBy '{changedBy}' is reserved for the connector: use your own identity`,
    path: 'changedBy',
    when: all(isOperatorChange, fact('changedBy', 'matches', `^${CONNECTOR_IDENTITY_PREFIX}`)),
  },
  {
    id: 'FFC-VER-007',
    integrity: true,
    description: 'Restores and rollbacks are written only by the connector, so they cannot be faked to skip review.',
    message: `a {kind} by '{changedBy}': only the connector (${CONNECTOR_IDENTITY_PREFIX}*) restores and rolls back`,
    path: 'kind',
    when: all(isSystemWrite, not(fact('changedBy', 'matches', `^${CONNECTOR_IDENTITY_PREFIX}`))),
  },
  {
    id: 'FFC-VER-008',
    integrity: true,
    description: 'The current version given to the validator belongs to the same flag and stage.',
    message: 'the current version passed in belongs to another flag or stage: load the right item',
    path: 'flagKey',
    when: isTrue('currentIsOtherFlag'),
  },
]);
