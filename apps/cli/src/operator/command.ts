import { WriteNotLandedError, WriteSupersededError } from '@ffc/functions/writing';
import {
  FlagNotFoundError as NothingToArchiveError,
  InvalidFlagKeyError,
  VersionConflictError,
  VersionNotReachedError,
} from '@ffc/store';
import { Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io';
import { FlagNotFoundError } from './flag-state';
import { RollbackRefusedError } from './rollback';
import { StageTarget, TargetOptions, TargetResolver, TargetUnavailableError } from './target';

export interface OperatorOptions extends TargetOptions {
  readonly json?: boolean;
}

/** Exit codes of the operator commands (the README's CLI section lists them). */
export const EXIT = { ok: 0, notFoundOrRefused: 1, usageOrUnreachable: 2, timedOut: 3 } as const;

/** The options every operator command takes. */
export function operatorCommand(command: Command): Command {
  return command
    .option('--stage <name>', 'the stage (default: FFC_STAGE); local when FFC_DYNAMODB_ENDPOINT is set, else AWS')
    .option('--json', 'the result as JSON');
}

export function versionNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a version number of at least 1');
  return parsed;
}

/**
 * Resolves the target, runs the body, closes the target; maps the operator's typed errors to exit codes and
 * prints them as text or, with --json, as `{"error": ...}` on stderr.
 */
export async function runOperator(
  io: CliIo,
  name: string,
  options: OperatorOptions,
  resolve: TargetResolver,
  body: (target: StageTarget) => Promise<number>,
): Promise<void> {
  let target: StageTarget | undefined;
  try {
    target = await resolve(options);
    process.exitCode = await body(target);
  } catch (error) {
    const known =
      error instanceof FlagNotFoundError ||
      error instanceof RollbackRefusedError ||
      error instanceof InvalidFlagKeyError ||
      error instanceof VersionNotReachedError ||
      error instanceof VersionConflictError ||
      error instanceof NothingToArchiveError ||
      // The writer did not land the request in time, or a newer change did: the message says which.
      error instanceof WriteNotLandedError ||
      error instanceof WriteSupersededError
        ? EXIT.notFoundOrRefused
        : error instanceof TargetUnavailableError
          ? EXIT.usageOrUnreachable
          : undefined;
    if (known === undefined) throw error;
    io.err(
      options.json
        ? `${JSON.stringify({ error: (error as Error).message })}\n`
        : `ffc ${name}: ${(error as Error).message}\n`,
    );
    process.exitCode = known;
  } finally {
    await target?.close();
  }
}
