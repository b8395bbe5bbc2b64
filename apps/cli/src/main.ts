import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerLocalCommands } from './commands/local';
import { registerRulesCommands } from './commands/rules';
import { registerSetCommand } from './commands/set';
import { checkEngines } from './doctor';
import type { CliIo } from './io';
import { localEngines } from './local-stage';
import { registerOperatorCommands } from './operator/register';

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function createProgram(io: CliIo = processIo): Command {
  const program = new Command('ffc')
    .description('Feature Flag Connector: validate, set, inspect and audit feature flags')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('doctor')
    .description(
      'Check that the engines the CLI talks to answer (FFC_REDIS_URL, FFC_DYNAMODB_ENDPOINT, FFC_OPENSEARCH_URL)',
    )
    .option('--json', 'one JSON object per engine')
    .action(async (options: { json?: boolean }) => {
      const checks = await checkEngines(localEngines());
      for (const c of checks) {
        io.out(
          options.json
            ? `${JSON.stringify(c)}\n`
            : `${c.ok ? 'ok  ' : 'FAIL'} ${c.engine.padEnd(10)} ${c.endpoint}  ${c.detail}\n`,
        );
      }
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });

  registerAuditCommands(program, io);
  registerRulesCommands(program, io);
  registerSetCommand(program, io);
  registerLocalCommands(program, io);
  registerOperatorCommands(program, io);
  return program;
}

/** Entry point of bin/ffc. Exit codes: 0 success, 1 a check or validation failed, 2 bad usage or input. */
export async function main(argv: string[], io: CliIo = processIo): Promise<void> {
  try {
    await createProgram(io).parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (code?.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    io.err(`ffc: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
