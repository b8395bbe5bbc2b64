import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import type { CliIo } from '../main';
import { operatorActor } from './rollback';
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
        const result = await target.store.archive(flagKey, {
          expectedVersion: current.version,
          changedBy: operatorActor(options.actor),
          reason: options.reason,
          ticket: options.ticket,
          correlationId: randomUUID(),
        });
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
