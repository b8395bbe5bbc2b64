/**
 * The connector's own identities: its writes and audit events carry them. The rules reserve the prefix
 * (`CONNECTOR_IDENTITY_PREFIX` in @ffc/rules; a test keeps the two equal). Not imported from there: that
 * would bundle every rule into functions that never validate.
 */
export const CONNECTOR_PREFIX = 'ffc-';

export const ACTORS = {
  validator: `${CONNECTOR_PREFIX}validator`,
  consistencyChecker: `${CONNECTOR_PREFIX}consistency-checker`,
  rollback: `${CONNECTOR_PREFIX}rollback`,
} as const;
