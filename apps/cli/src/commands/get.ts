import { Command } from 'commander';
import type { CliIo } from '../io';
import { EXIT, OperatorOptions, operatorCommand, runOperator, versionNumber } from '../operator/command';
import { auditHistory, FlagNotFoundError, notFound, verifiedRegions } from '../operator/flag-state';
import { formatDocument } from '../operator/format';
import { TargetResolver, resolveTarget } from '../operator/target';

/** `ffc get FLAG [--version N]`: one version of a flag, whether it is verified, and the last known good. */
export function registerGetCommand(program: Command, io: CliIo, resolve: TargetResolver = resolveTarget): void {
  operatorCommand(
    program
      .command('get')
      .description(
        'Show the current (or a given) version of a flag: value, rollout, targeting, who, when, why, verified or not (exit 0 found, 1 not found)',
      )
      .argument('<flagKey>', 'the flag'),
  )
    .option('--version <n>', 'this version instead of the current one', versionNumber)
    .action((flagKey: string, options: OperatorOptions & { version?: number }) =>
      runOperator(io, 'get', options, resolve, async (target) => {
        const document = options.version
          ? await target.store.getVersion(flagKey, options.version)
          : await target.store.get(flagKey);
        if (!document) {
          throw options.version
            ? new FlagNotFoundError(flagKey, target.stage, options.version)
            : await notFound(target, flagKey);
        }
        const notes: string[] = [];
        const history = await auditHistory(target, flagKey, notes);
        const [verifiedIn, lastKnownGood] = await Promise.all([
          verifiedRegions(target, flagKey, document.version, history),
          target.store.lastKnownGood(flagKey, target.regions),
        ]);
        const facts = { verifiedIn, regions: target.regions, lastKnownGood };
        io.out(
          options.json
            ? `${JSON.stringify({ document, verifiedIn, regions: target.regions, lastKnownGoodVersion: lastKnownGood?.version ?? null, notes })}\n`
            : formatDocument(document, facts) + notes.map((n) => `note: ${n}\n`).join(''),
        );
        return EXIT.ok;
      }),
    );
}
