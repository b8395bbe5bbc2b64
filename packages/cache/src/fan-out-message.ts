import { FanOutMessageTooLargeError, InvalidFanOutMessageError } from './errors';
import { ArchiveUpdate, CacheUpdate, FlagUpdate, isTombstone } from './flag-update';

/** SNS and SQS refuse messages (body and attributes together) over 256 KiB. */
export const FAN_OUT_MESSAGE_LIMIT_BYTES = 256 * 1024;

/** A validated change (`@ffc/rules`' FlagChange fits) or an archive, as the validator publishes it. */
export type PublishedUpdate = (FlagUpdate | ArchiveUpdate) & { readonly stage: string };

/** What a cache updater gets from one message: the update for `cache.apply`, and its correlation id. */
export type FanOutUpdate = CacheUpdate & { readonly stage: string; readonly correlationId?: string };

/**
 * The fan-out message body: the change's identity and its whole evaluation spec, nothing else (owner,
 * description, reason stay in the flag table), so the message is never larger than the validated document.
 * `replaces` names the same-version write (by correlation id) that last-writer-wins replaced with this one.
 */
export function buildFanOutMessage(update: PublishedUpdate, correlationId?: string, replaces?: string): string {
  const { flagKey, stage, version, kind, changedAt } = update;
  const body = isTombstone(update)
    ? { flagKey, stage, version, kind, changedAt, archived: true, correlationId, replaces }
    : {
        flagKey,
        stage,
        version,
        kind,
        changedAt,
        type: update.type,
        value: update.value,
        offValue: update.offValue,
        variants: update.variants,
        rollout: update.rollout,
        targeting: update.targeting,
        prerequisites: update.prerequisites,
        correlationId,
        replaces,
      };
  const text = JSON.stringify(body);
  const bytes = Buffer.byteLength(text);
  if (bytes > FAN_OUT_MESSAGE_LIMIT_BYTES) {
    throw new FanOutMessageTooLargeError(flagKey, bytes, FAN_OUT_MESSAGE_LIMIT_BYTES);
  }
  return text;
}

export interface ParseFanOutOptions {
  /** The change kinds the writer knows (the store's CHANGE_KINDS). @default - any string */
  readonly kinds?: readonly string[];
}

/**
 * Parses a fan-out message (raw delivery) far enough for `cache.apply`, which checks the rest. What only
 * the validator's publication carries is required: a version from 1 up (a version-0 entry would be served
 * until v1 arrives), the stage (a message without one would slip past the cache's stage check) and a
 * known kind. Unknown fields are ignored, so a publisher sending the whole change is read the same way.
 */
export function parseFanOutMessage(body: string, options: ParseFanOutOptions = {}): FanOutUpdate {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch (error) {
    throw new InvalidFanOutMessageError(`not JSON (${(error as Error).message})`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new InvalidFanOutMessageError('must be a JSON object');
  }
  const m = message as Record<string, unknown>;
  if (typeof m.version !== 'number' || !Number.isSafeInteger(m.version) || m.version < 1) {
    throw new InvalidFanOutMessageError(
      `version ${JSON.stringify(m.version)} must be an integer from 1 (a published version)`,
    );
  }
  if (typeof m.stage !== 'string') throw new InvalidFanOutMessageError('it must name its stage');
  if (m.kind !== undefined && (typeof m.kind !== 'string' || (options.kinds && !options.kinds.includes(m.kind)))) {
    throw new InvalidFanOutMessageError(
      `kind ${JSON.stringify(m.kind)} must be one of ${options.kinds?.join(', ') ?? 'the change kinds'}`,
    );
  }
  for (const field of ['correlationId', 'replaces'] as const) {
    if (m[field] !== undefined && typeof m[field] !== 'string') {
      throw new InvalidFanOutMessageError(`${field} must be a string`);
    }
  }
  const identity = {
    flagKey: m.flagKey,
    stage: m.stage,
    version: m.version,
    kind: m.kind,
    changedAt: m.changedAt,
    correlationId: m.correlationId,
    replaces: m.replaces,
  };
  if (m.archived === true) return { ...identity, archived: true } as FanOutUpdate;
  return {
    ...identity,
    type: m.type,
    value: m.value,
    offValue: m.offValue,
    variants: m.variants,
    rollout: m.rollout,
    targeting: m.targeting,
    prerequisites: m.prerequisites,
  } as FanOutUpdate;
}
