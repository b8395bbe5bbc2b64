import * as os from 'node:os';
import { Command } from 'commander';
import type { CliIo } from '../io';
import { EXIT, OperatorOptions, operatorCommand, runOperator, versionNumber } from '../operator/command';
import { operatorRollback } from '../operator/rollback';
import { TargetResolver, resolveTarget } from '../operator/target';

interface RollbackOptions extends OperatorOptions {
  readonly to?: number;
  readonly reason: string;
  readonly ticket?: string;
  readonly force?: boolean;
  readonly actor?: string;
  readonly production?: boolean;
}

/** Who the operator is: --actor, else FFC_ACTOR, else the login name. */
export function operatorActor(actor?: string): string {
  return actor ?? process.env.FFC_ACTOR ?? os.userInfo().username;
}

/** `ffc rollback FLAG --reason TEXT`: the automatic rollback's conditional write, by an operator, audited. */
export function registerRollbackCommand(program: Command, io: CliIo, resolve: TargetResolver = resolveTarget): void {
  operatorCommand(
    program
      .command('rollback')
      .description(
        'Roll a flag back to last known good (or --to VERSION), conditional on the current version staying current; audited with you as actor (exit 0 rolled back, 1 refused)',
      )
      .argument('<flagKey>', 'the flag'),
  )
    .requiredOption('--reason <text>', 'why: recorded in the audit history and on the new version')
    .option(
      '--to <version>',
      'roll back to this version (default: last known good, verified in every region)',
      versionNumber,
    )
    .option('--ticket <id>', 'the incident or change ticket')
    .option('--force', 'allow a --to version that was never verified in every region')
    .option('--actor <name>', 'who rolls back (default: FFC_ACTOR or the login name)')
    .option('--production', 'validate a rollback to a chosen version with the production policy')
    .action((flagKey: string, options: RollbackOptions) =>
      runOperator(io, 'rollback', options, resolve, async (target) => {
        const result = await operatorRollback(target, {
          flagKey,
          to: options.to,
          reason: options.reason,
          ticket: options.ticket,
          force: options.force,
          production: options.production,
          actor: operatorActor(options.actor),
        });
        if (options.json) {
          io.out(`${JSON.stringify(result)}\n`);
          return EXIT.ok;
        }
        io.out(
          result.outcome === 'already-rolled-back'
            ? `${flagKey}: v${result.fromVersion} was already rolled back as v${result.toVersion} (content of v${result.sourceVersion}); nothing written\n`
            : `${flagKey}: rolled back v${result.fromVersion} -> v${result.toVersion} (content of v${result.sourceVersion}) through ${result.path}; follow it with ffc watch ${flagKey}\n`,
        );
        for (const warning of result.warnings) io.out(`warning: ${warning}\n`);
        if (result.audit) {
          io.out(`audit: ${result.audit.delivered ? '' : 'NOT YET DELIVERED: '}${result.audit.detail}\n`);
        }
        return EXIT.ok;
      }),
    );
}
