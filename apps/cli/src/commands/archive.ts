import { randomUUID } from 'node:crypto';
import { WriteClientOptions, WriteSupersededError, submitWriteRequest } from '@ffc/functions/writing';
import { ArchiveResult, VersionConflictError } from '@ffc/store';
import { Command } from 'commander';
import type { CliIo } from '../io';
import { operatorActor } from './rollback';
import { writerQueueOf } from './set';
import { EXIT, OperatorOptions, operatorCommand, runOperator } from '../operator/command';
import { notFound } from '../operator/flag-state';
import { TargetResolver, resolveTarget } from '../operator/target';

interface ArchiveOptions extends OperatorOptions {
  readonly reason: string;
  readonly ticket?: string;
  readonly actor?: string;
}

/**
 * `ffc archive FLAG --reason TEXT`: writes the store's archive tombstone on top of the current version
 * (conditional on it); every region's validator then removes the flag from every cache.
 */
export function registerArchiveCommand(program: Command, io: CliIo, resolve: TargetResolver = resolveTarget): void {
  operatorCommand(
    program
      .command('archive')
      .description(
        'Archive a flag: a tombstone version on top of the current one, after which no service serves it (exit 0 archived, 1 not found or changed meanwhile)',
      )
      .argument('<flagKey>', 'the flag'),
  )
    .requiredOption('--reason <text>', 'why: recorded on the tombstone and in the audit history')
    .option('--ticket <id>', 'the change ticket')
    .option('--actor <name>', 'who archives (default: FFC_ACTOR or the login name)')
    .action((flagKey: string, options: ArchiveOptions) =>
      runOperator(io, 'archive', options, resolve, async (target) => {
        const current = await target.store.get(flagKey);
        if (!current) throw await notFound(target, flagKey);
        const request = {
          expectedVersion: current.version,
          reason: options.reason,
          ticket: options.ticket,
          correlationId: randomUUID(),
        };
        // A stage with a writer queue takes the archive from the flag writer, stamped with the signing identity.
        const queue = writerQueueOf(target.stage, target.where === 'local');
        const result = queue
          ? await archiveThroughWriter({ ...queue, store: target.store }, flagKey, request)
          : await target.store.archive(flagKey, { ...request, changedBy: operatorActor(options.actor) });
        if (options.json) {
          io.out(`${JSON.stringify({ flagKey, outcome: result.outcome, version: result.document.version })}\n`);
        } else {
          io.out(
            result.outcome === 'archived'
              ? `${flagKey}: archived v${current.version} as v${result.document.version}; every region's validator now removes it from the caches (ffc watch is not needed: ffc history ${flagKey} shows flag.archived per region)\n`
              : `${flagKey}: already archived as v${result.document.version}; nothing written\n`,
          );
        }
        return EXIT.ok;
      }),
    );
}

/**
 * The archive as a write request; the tombstone that lands is the result. WriteNotLandedError (the writer
 * refused it or is behind) says what to check; it is not a refusal the CLI can tell apart, so it is thrown.
 */
async function archiveThroughWriter(
  client: WriteClientOptions,
  flagKey: string,
  request: { expectedVersion: number; reason: string; ticket?: string; correlationId: string },
): Promise<ArchiveResult> {
  try {
    const document = await submitWriteRequest(client, { action: 'archive', flagKey, ...request });
    return { outcome: 'archived', document };
  } catch (error) {
    // Someone else's version landed first: the store's own "changed meanwhile" (exit 1).
    if (error instanceof WriteSupersededError) {
      throw new VersionConflictError(flagKey, request.expectedVersion, error.landed.version, true);
    }
    throw error;
  }
}
