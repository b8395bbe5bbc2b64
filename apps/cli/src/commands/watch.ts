import { Command, Option } from 'commander';
import type { CliIo } from '../io';
import { EXIT, OperatorOptions, operatorCommand, runOperator } from '../operator/command';
import { FlagState } from '../operator/flag-state';
import { TargetResolver, resolveTarget } from '../operator/target';
import { WatchEvent, watchFlag } from '../operator/watch';

const EXIT_BY_OUTCOME = {
  converged: EXIT.ok,
  'rolled-back': EXIT.notFoundOrRefused,
  superseded: EXIT.notFoundOrRefused,
  'timed-out': EXIT.timedOut,
};

function describe(event: WatchEvent): string {
  switch (event.type) {
    case 'progress': {
      const serving =
        event.serving === null ? `?/${event.expected} (not checked yet)` : `${event.serving}/${event.expected}`;
      const missing =
        event.notServing.length && event.notServing.length <= 5 ? ` missing ${event.notServing.join(', ')}` : '';
      return `v${event.version} ${event.region}: ${serving} serve it${event.verified ? ', verified' : ''}${missing}`;
    }
    case 'verified':
      return `✓ v${event.version} verified in ${event.region}`;
    case 'rolled-back':
      return `↩ v${event.version} rolled back by ${event.by}: now v${event.toVersion} (content of v${event.sourceVersion})`;
    case 'superseded':
      return `v${event.version} replaced by a newer change, v${event.byVersion}`;
    case 'converged':
      return `✔ v${event.version} converged: every expected service in every region serves it, verified everywhere`;
    case 'timed-out':
      return `✘ v${event.version} not converged after ${event.afterSeconds} s (ffc status shows what is missing)`;
  }
}

/** A live block of one bar per region, redrawn in place; event lines scroll above it. */
function terminalDisplay(io: CliIo) {
  let drawn = 0;
  const bar = (serving: number | null, expected: number) => {
    const width = 30;
    const filled = serving === null || expected === 0 ? 0 : Math.round((serving / expected) * width);
    return `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}]`;
  };
  const block = (state: FlagState) =>
    state.regions.map(
      (r) =>
        `  ${r.region.padEnd(15)} ${bar(r.serving, r.expected)} ${r.serving ?? '?'}/${r.expected}${r.verified ? '  ✓ verified' : ''}`,
    );
  const clear = () => {
    if (drawn > 0) io.out(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  return (event: WatchEvent, state: FlagState | undefined) => {
    clear();
    if (event.type !== 'progress') io.out(`${describe(event)}\n`);
    if (state && event.type !== 'converged' && event.type !== 'rolled-back' && event.type !== 'superseded') {
      const lines = block(state);
      io.out(`${lines.join('\n')}\n`);
      drawn = lines.length;
    }
  };
}

/** `ffc watch FLAG`: follows the current version live until it converges, is rolled back or times out. */
export function registerWatchCommand(
  program: Command,
  io: CliIo,
  resolve: TargetResolver = resolveTarget,
  isTerminal: () => boolean = () => Boolean(process.stdout.isTTY),
): void {
  operatorCommand(
    program
      .command('watch')
      .description(
        'Follow the current version of a flag live: progress per region, a line when a region verifies, the rollback if one happens (exit 0 converged, 1 rolled back or replaced, 3 timed out)',
      )
      .argument('<flagKey>', 'the flag'),
  )
    .addOption(new Option('--timeout <s>', 'give up after this many seconds').default(120).argParser(Number))
    .action((flagKey: string, options: OperatorOptions & { timeout: number }) =>
      runOperator(io, 'watch', options, resolve, async (target) => {
        const live = !options.json && isTerminal() ? terminalDisplay(io) : undefined;
        const outcome = await watchFlag(target, flagKey, {
          timeoutMs: options.timeout * 1000,
          onEvent: (event, state) => {
            if (options.json) io.out(`${JSON.stringify(event)}\n`);
            else if (live) live(event, state);
            else io.out(`${describe(event)}\n`);
          },
        });
        return EXIT_BY_OUTCOME[outcome.type];
      }),
    );
}
