/** The store refuses keys, regions and stages by the shared grammars of @ffc/identifiers, with their errors. */
export {
  InvalidFlagKeyError,
  InvalidRegionCodeError as InvalidRegionError,
  InvalidStageNameError,
} from '@ffc/identifiers';

/** A flag document (or an argument about one) that breaks the store's structural rules. */
export class InvalidFlagInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFlagInputError';
  }
}

/** Refused before DynamoDB's 400 KB item limit turns it into an opaque ValidationException. */
export class FlagDocumentTooLargeError extends Error {
  constructor(
    readonly flagKey: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `flag '${flagKey}' is ${bytes} bytes as a DynamoDB item, above the ${maxBytes}-byte limit: keep large values out of the flag (store a reference instead)`,
    );
    this.name = 'FlagDocumentTooLargeError';
  }
}

/** Optimistic concurrency lost: someone else wrote the flag since it was read. */
export class VersionConflictError extends Error {
  constructor(
    readonly flagKey: string,
    readonly expectedVersion: number,
    /** The version a retry must name as `expectedVersion` (0 when the flag has never existed). */
    readonly latestVersion: number,
    /** Whether the flag currently has a document (false after a rejected creation was removed). */
    readonly exists: boolean,
  ) {
    super(
      exists
        ? `flag '${flagKey}' is at version ${latestVersion}, not ${expectedVersion}: read it again and reapply your change on top of version ${latestVersion}`
        : `flag '${flagKey}' has no current document and its history ends at version ${latestVersion}, not ${expectedVersion}: write it with expectedVersion ${latestVersion}`,
    );
    this.name = 'VersionConflictError';
  }
}

/** A stream record that does not have the shape the flag table writes; the message says which part is wrong. */
export class MalformedStreamRecordError extends Error {
  constructor(
    message: string,
    readonly eventId?: string,
  ) {
    super(eventId ? `stream record ${eventId}: ${message}` : `stream record: ${message}`);
    this.name = 'MalformedStreamRecordError';
  }
}

/** A restore or rollback named a version this region's table has not reached yet. */
export class VersionNotReachedError extends Error {
  constructor(
    readonly flagKey: string,
    readonly requestedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `flag '${flagKey}' is at version ${currentVersion} in this table, so version ${requestedVersion} cannot be replaced yet: retry once replication has delivered it`,
    );
    this.name = 'VersionNotReachedError';
  }
}

/** The table holds items @ffc/store would never write together; someone wrote it by other means. */
export class InconsistentFlagTableError extends Error {
  constructor(message: string) {
    super(`${message}: the flag table was written outside @ffc/store; inspect the flag's items before retrying`);
    this.name = 'InconsistentFlagTableError';
  }
}

/** The operation needs a live flag, and the flag has no current document (never created, or its creation was rejected). */
export class FlagNotFoundError extends Error {
  constructor(
    readonly flagKey: string,
    /** The highest version ever written (0 when the flag never existed). */
    readonly latestVersion: number,
  ) {
    super(
      latestVersion === 0
        ? `flag '${flagKey}' does not exist: check the key and the stage`
        : `flag '${flagKey}' has no current document (its history ends at version ${latestVersion}): there is nothing to archive`,
    );
    this.name = 'FlagNotFoundError';
  }
}
