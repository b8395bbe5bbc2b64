import { Command } from 'commander';
import { registerArchiveCommand } from '../commands/archive';
import { registerConsoleCommand } from '../commands/console';
import { registerDiffCommand } from '../commands/diff';
import { registerGetCommand } from '../commands/get';
import { registerRollbackCommand } from '../commands/rollback';
import { registerStatusCommand } from '../commands/status';
import { registerWatchCommand } from '../commands/watch';
import type { CliIo } from '../io';
import { TargetResolver, resolveTarget } from './target';

/** The operator's commands: get, status, watch, rollback, diff, archive, console (main.ts registers them with one call). */
export function registerOperatorCommands(
  program: Command,
  io: CliIo,
  resolve: TargetResolver = resolveTarget,
  isTerminal?: () => boolean,
): void {
  registerGetCommand(program, io, resolve);
  registerStatusCommand(program, io, resolve);
  registerWatchCommand(program, io, resolve, isTerminal);
  registerRollbackCommand(program, io, resolve);
  registerDiffCommand(program, io, resolve);
  registerArchiveCommand(program, io, resolve);
  registerConsoleCommand(program, io, resolve);
}
