/** An event that cannot be audited as given; `problems` lists every reason, each naming the field. */
export class InvalidAuditEventError extends Error {
  constructor(
    readonly problems: readonly string[],
    label = 'audit event',
  ) {
    super(`${label} is invalid: ${problems.join('; ')}`);
    this.name = 'InvalidAuditEventError';
  }
}

/** OpenSearch did not take the events; they stay in the buffer and the next flush delivers them. */
export class AuditStoreUnavailableError extends Error {
  constructor(
    message: string,
    /** How many events of the failed batch wait in the buffer (0 for a query). */
    readonly waiting: number,
  ) {
    super(message);
    this.name = 'AuditStoreUnavailableError';
  }
}

/** A setting (stage, retention, connection) that cannot work; the message says which value to change. */
export class AuditConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditConfigurationError';
  }
}
