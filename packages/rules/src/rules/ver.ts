import { all, defineFamily, fact, isFalse, isOperatorChange, isSystemWrite, isTrue, not } from './define';

/** Identities starting with this prefix are the connector's own writers (validator, rollback). */
export const CONNECTOR_IDENTITY_PREFIX = 'ffc-';

export const versioningRules = defineFamily('versioning', [
  {
    id: 'FFC-VER-001',
    why: 'Versions order every write; a fraction breaks conditional writes.',
    integrity: true,
    description: 'version is a positive integer.',
    message: 'version {version} must be a positive integer',
    path: 'version',
    when: isFalse('versionIsPositiveInteger'),
  },
  {
    id: 'FFC-VER-002',
    why: 'A creation continues the key’s history; any other version hides a lost write or resurrects an old one.',
    integrity: true,
    description:
      'A flag that does not exist is created at the version after its history’s last: 1 for a new key, above the tombstone of an archived one.',
    message: 'the flag does not exist yet but version is {version}: create it with version {creationVersion}',
    path: 'version',
    when: all(isFalse('currentExists'), fact('creationVersionSkip', 'notEqual', 0)),
  },
  {
    id: 'FFC-VER-003',
    why: 'A skipped version means the writer did not read what it replaces.',
    integrity: true,
    description: 'A change replaces the current version: version = current version + 1.',
    message: 'version {version} does not follow the current version {currentVersion}: re-read the flag and retry',
    path: 'version',
    when: all(isTrue('currentExists'), fact('versionStep', 'notEqual', 1)),
  },
  {
    id: 'FFC-VER-004',
    why: 'There is nothing to restore or roll back to for a flag that does not exist.',
    integrity: true,
    description: 'Restores and rollbacks apply to a flag that exists.',
    message: 'a {kind} of a flag that does not exist: nothing to go back to',
    path: 'kind',
    when: all(isSystemWrite, isFalse('currentExists')),
  },
  {
    id: 'FFC-VER-005',
    why: 'An identical write costs a fan-out and a verification for nothing.',
    integrity: true,
    severity: 'warning',
    description: 'A change changes something: an identical write only costs a fan-out and a verification.',
    message: 'nothing changes compared with version {currentVersion}: skip this write',
    path: '',
    when: all(isOperatorChange, isTrue('currentExists'), isFalse('anythingChanged')),
  },
  {
    id: 'FFC-VER-006',
    why: 'The validator trusts its own identity; an operator using it bypasses review.',
    integrity: true,
    description: `Operators' changes are not written under the connector's identity (${CONNECTOR_IDENTITY_PREFIX}*).`,
    message: `changedBy '{changedBy}' is reserved for the connector: use your own identity`,
    path: 'changedBy',
    when: all(isOperatorChange, fact('changedBy', 'matches', `^${CONNECTOR_IDENTITY_PREFIX}`)),
  },
  {
    id: 'FFC-VER-007',
    why: 'Restores and rollbacks skip pace rules; only the connector may write them.',
    integrity: true,
    description: 'Restores and rollbacks are written only by the connector, so they cannot be faked to skip review.',
    message: `a {kind} by '{changedBy}': only the connector (${CONNECTOR_IDENTITY_PREFIX}*) restores and rolls back`,
    path: 'kind',
    when: all(isSystemWrite, not(fact('changedBy', 'matches', `^${CONNECTOR_IDENTITY_PREFIX}`))),
  },
  {
    id: 'FFC-VER-008',
    why: "Comparing with another flag's version makes every comparison rule wrong.",
    integrity: true,
    description: 'The current version given to the validator belongs to the same flag and stage.',
    message: 'the current version passed in belongs to another flag or stage: load the right item',
    path: 'flagKey',
    when: isTrue('currentIsOtherFlag'),
  },
  {
    id: 'FFC-VER-009',
    why: 'A "rollback" with new content would skip every pace rule with an unreviewed change.',
    integrity: true,
    description:
      'A rollback writes back exactly the last known good content: a rollback skips the pace rules, so one carrying anything new would bypass review.',
    message: 'the rollback does not write back the last known good version: write back its content unchanged',
    path: 'kind',
    when: isTrue('rollbackDiffersFromLastKnownGood'),
  },
]);
