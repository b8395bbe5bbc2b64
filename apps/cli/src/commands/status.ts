import { Command } from 'commander';
import type { CliIo } from '../io';
import { EXIT, OperatorOptions, operatorCommand, runOperator } from '../operator/command';
import { readFlagState } from '../operator/flag-state';
import { formatStatus } from '../operator/format';
import { TargetResolver, resolveTarget } from '../operator/target';

/** `ffc status FLAG`: where the current version stands in every region; exit 0 only when converged everywhere. */
export function registerStatusCommand(program: Command, io: CliIo, resolve: TargetResolver = resolveTarget): void {
  operatorCommand(
    program
      .command('status')
      .description(
        'Where the current version of a flag stands: per region, how many expected services serve it and which do not, verified or not (exit 0 converged everywhere, 1 otherwise)',
      )
      .argument('<flagKey>', 'the flag'),
  )
    .option('--services', 'the full region × service matrix')
    .action((flagKey: string, options: OperatorOptions & { services?: boolean }) =>
      runOperator(io, 'status', options, resolve, async (target) => {
        const state = await readFlagState(target, flagKey);
        if (options.json) {
          const regions = options.services ? state.regions : state.regions.map(({ services: _s, ...r }) => r);
          io.out(`${JSON.stringify({ ...state, regions })}\n`);
        } else {
          io.out(formatStatus(state, options.services ?? false));
        }
        return state.converged ? EXIT.ok : EXIT.notFoundOrRefused;
      }),
    );
}
