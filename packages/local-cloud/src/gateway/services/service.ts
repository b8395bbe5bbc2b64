import { AwsServiceError, GatewayBackend, GatewayRequestContext } from '../backend';
import { ErrorModel } from '../errors';
import { Protocol } from '../protocols';

/** Decodes the protocol's input, calls the backend, returns what the protocol encodes. */
export type OperationHandler = (ctx: GatewayRequestContext, input: unknown) => Promise<unknown>;

/** One AWS service as the gateway speaks it. */
export interface ServiceDefinition {
  /** The SigV4 signing name, as it appears in the credential scope. */
  readonly signingName: string;
  readonly protocol: Protocol;
  readonly errors: ErrorModel;
  /** Each operation's handler for this backend, or undefined when the backend does not emulate it. */
  readonly operations: Readonly<Record<string, (backend: GatewayBackend) => OperationHandler | undefined>>;
}

/** A JSON request member that must be a non-empty string, as AWS validates it before the backend sees it. */
export function requiredString(input: Record<string, unknown>, member: string, code: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError(
      code,
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** The JSON body as a member map (AWS JSON protocols always send an object). */
export function jsonObject(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
