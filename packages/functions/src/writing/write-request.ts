import { assertFlagKey } from '@ffc/identifiers';
import { UnprocessableInputError } from '../errors';

/**
 * What an operator sends to the stage's writer queue (`ffc set`, `ffc archive`). It names the change and the
 * version it was made on top of; it never names who sent it or when: the writer takes both from SQS.
 */
export type WriteRequest =
  | {
      readonly action: 'set';
      readonly flagKey: string;
      /** The latest version the operator read; the write is conditional on it (0 for a new flag). */
      readonly expectedVersion: number;
      /** Ties the request to the version it lands as: a redelivery with the same id is not a second version. */
      readonly correlationId: string;
      /** The flag's fields as `ffc set` reads them; version, kind, changedBy and changedAt are the writer's. */
      readonly change: Readonly<Record<string, unknown>>;
    }
  | {
      readonly action: 'archive';
      readonly flagKey: string;
      readonly expectedVersion: number;
      readonly correlationId: string;
      readonly reason: string;
      readonly ticket?: string;
    };

/** Fields only the writer stamps: a request that carries them is refused, not silently overridden. */
export const WRITER_STAMPED_FIELDS = ['version', 'kind', 'changedBy', 'changedAt', 'correlationId'] as const;

/** A correlation id the audit trail accepts (`[A-Za-z0-9._:-]`), as `ffc set` makes them (a UUID). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export class MalformedWriteRequestError extends UnprocessableInputError {
  constructor(problem: string) {
    super(`write request refused: ${problem} (send it with ffc set or ffc archive)`);
    this.name = 'MalformedWriteRequestError';
  }
}

/** Reads a writer-queue message body; MalformedWriteRequestError says what is wrong with it. */
export function parseWriteRequest(body: string): WriteRequest {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch (error) {
    throw new MalformedWriteRequestError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MalformedWriteRequestError('the body must be one JSON object');
  }
  const request = input as Record<string, unknown>;
  let flagKey: string;
  try {
    flagKey = assertFlagKey(request.flagKey);
  } catch (error) {
    throw new MalformedWriteRequestError((error as Error).message);
  }
  const { expectedVersion, correlationId } = request;
  if (!Number.isInteger(expectedVersion) || (expectedVersion as number) < 0) {
    throw new MalformedWriteRequestError(
      `expectedVersion must be an integer ≥ 0, got ${JSON.stringify(expectedVersion)}`,
    );
  }
  if (typeof correlationId !== 'string' || !CORRELATION_ID.test(correlationId)) {
    throw new MalformedWriteRequestError(
      `correlationId must match ${CORRELATION_ID}, got ${JSON.stringify(correlationId)}`,
    );
  }
  const common = { flagKey, expectedVersion: expectedVersion as number, correlationId };
  if (request.action === 'archive') {
    if (typeof request.reason !== 'string' || request.reason.trim() === '') {
      throw new MalformedWriteRequestError('an archive needs a non-empty reason');
    }
    if (request.ticket !== undefined && typeof request.ticket !== 'string') {
      throw new MalformedWriteRequestError('ticket must be a string');
    }
    return { action: 'archive', ...common, reason: request.reason, ticket: request.ticket };
  }
  if (request.action !== 'set') {
    throw new MalformedWriteRequestError(`action must be 'set' or 'archive', got ${JSON.stringify(request.action)}`);
  }
  const change = request.change;
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw new MalformedWriteRequestError("a 'set' request needs the change as an object");
  }
  const stamped = WRITER_STAMPED_FIELDS.filter((field) => field in change);
  if (stamped.length > 0) {
    throw new MalformedWriteRequestError(`the change must not carry ${stamped.join(', ')}: the writer stamps them`);
  }
  const changeKey = (change as Record<string, unknown>).flagKey;
  if (changeKey !== undefined && changeKey !== flagKey) {
    throw new MalformedWriteRequestError(`the change is for '${String(changeKey)}', the request for '${flagKey}'`);
  }
  return { action: 'set', ...common, change: change as Record<string, unknown> };
}

/**
 * The identity a change records for an SQS SenderId. ReceiveMessage documents SenderId as the IAM user id
 * for a user, `<role id>:<role session name>` for an assumed role (API reference, ReceiveMessage,
 * MessageSystemAttributeNames): a person's role session names them (IAM Identity Center sets it to the
 * user name; the operator role's trust policy pins it), so the session name is the login; a user id,
 * which names no login, is recorded lower-cased (the rules' changedBy grammar).
 */
export function changedByOf(senderId: string): string {
  const separator = senderId.indexOf(':');
  const identity = separator >= 0 ? senderId.slice(separator + 1) : senderId;
  if (identity.trim() === '') throw new MalformedWriteRequestError(`SenderId '${senderId}' names no identity`);
  return identity.toLowerCase();
}

/** The writer queue of a stage, in its home region (the FlagWriter construct names it the same way). */
export function writerQueueName(stage: string): string {
  return `${stage}-flag-writer`;
}
