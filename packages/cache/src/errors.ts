/** Base class of every error this package throws, so callers can tell cache errors from their own. */
export class FlagCacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The change itself is malformed: fix the input, retrying will not help. */
export class InvalidFlagUpdateError extends FlagCacheError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`invalid flag update: ${field} ${detail}`);
  }
}

export class InvalidServiceIdError extends FlagCacheError {
  constructor(
    readonly serviceId: string,
    pattern: RegExp,
  ) {
    super(`service id '${serviceId}' must match ${pattern.source} (use the id from the service catalogue)`);
  }
}

export class InvalidStageError extends FlagCacheError {
  constructor(
    readonly stage: string,
    pattern: RegExp,
  ) {
    super(`stage '${stage}' must match ${pattern.source} (lowercase letters, digits and dashes)`);
  }
}

export class FlagValueTooLargeError extends FlagCacheError {
  constructor(
    readonly flagKey: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `flag '${flagKey}' encodes to ${bytes} bytes, over the cache limit of ${limitBytes}: ` +
        'keep large configuration out of flags, or raise maxEntryBytes if the rules allow it',
    );
  }
}

/** Redis could not be reached or answered with an error; the write is idempotent, so retrying is safe. */
export class CacheUnavailableError extends FlagCacheError {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
    /** ioredis reports why a connection failed (TLS, DNS, refused) only as an 'error' event, not on the command. */
    readonly connectionError?: Error,
  ) {
    super(
      `Redis could not ${operation}: ${cause instanceof Error ? cause.message : String(cause)}` +
        `${connectionError ? ` (connection error: ${connectionError.message})` : ''}. ` +
        'Check the endpoint, TLS and credentials; the operation is safe to retry (versions never go backwards)',
    );
  }
}

/** An entry read from Redis is not one this package wrote. */
export class CorruptEntryError extends FlagCacheError {
  constructor(
    readonly key: string,
    readonly field: string,
    detail: string,
  ) {
    super(`cache entry ${key} ${field} is corrupt (${detail}): re-apply the flag's current version to repair it`);
  }
}

/** A fan-out message that is not one `buildFanOutMessage` wrote: redelivering it will not help. */
export class InvalidFanOutMessageError extends FlagCacheError {
  constructor(detail: string) {
    super(`invalid fan-out message: ${detail} (messages are built by buildFanOutMessage from a validated change)`);
  }
}

export class FanOutMessageTooLargeError extends FlagCacheError {
  constructor(
    readonly flagKey: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `the fan-out message of flag '${flagKey}' is ${bytes} bytes, over the SNS/SQS limit of ${limitBytes}: ` +
        'shrink the value, offValue or targeting (the rules cap the document at 128 KB)',
    );
  }
}
