import { Command } from 'commander';
import type { CliIo } from '../io';
import { EXIT, OperatorOptions, operatorCommand, runOperator, versionNumber } from '../operator/command';
import { FlagNotFoundError } from '../operator/flag-state';
import { diffDocuments } from '../operator/format';
import { TargetResolver, resolveTarget } from '../operator/target';

/** `ffc diff FLAG A B`: what changed between two versions, field by field. */
export function registerDiffCommand(program: Command, io: CliIo, resolve: TargetResolver = resolveTarget): void {
  operatorCommand(
    program
      .command('diff')
      .description(
        'Show what changed between two versions of a flag, field by field (exit 0, 1 when a version does not exist)',
      )
      .argument('<flagKey>', 'the flag')
      .argument('<a>', 'a version', versionNumber)
      .argument('<b>', 'another version', versionNumber),
  ).action((flagKey: string, a: number, b: number, options: OperatorOptions) =>
    runOperator(io, 'diff', options, resolve, async (target) => {
      const [from, to] = await Promise.all([target.store.getVersion(flagKey, a), target.store.getVersion(flagKey, b)]);
      if (!from) throw new FlagNotFoundError(flagKey, target.stage, a);
      if (!to) throw new FlagNotFoundError(flagKey, target.stage, b);
      const changes = diffDocuments(from, to);
      if (options.json) {
        io.out(`${JSON.stringify({ flagKey, a, b, changes })}\n`);
      } else if (changes.length === 0) {
        io.out(`${flagKey}: v${a} and v${b} are identical\n`);
      } else {
        io.out(`${flagKey} v${a} -> v${b}:\n`);
        for (const c of changes) {
          io.out(`  ${c.path}: ${JSON.stringify(c.a) ?? '(absent)'} -> ${JSON.stringify(c.b) ?? '(absent)'}\n`);
        }
      }
      return EXIT.ok;
    }),
  );
}
