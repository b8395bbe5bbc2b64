import { CONNECTOR_IDENTITY_PREFIX } from '@ffc/rules';

/** The connector's own identities: its writes and audit events carry them, and the rules reserve the prefix. */
export const ACTORS = {
  validator: `${CONNECTOR_IDENTITY_PREFIX}validator`,
  consistencyChecker: `${CONNECTOR_IDENTITY_PREFIX}consistency-checker`,
  rollback: `${CONNECTOR_IDENTITY_PREFIX}rollback`,
} as const;
