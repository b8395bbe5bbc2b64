import { Command, Option } from 'commander';
import { startConsole } from '../console/server';
import type { CliIo } from '../io';
import { TargetOptions, TargetResolver, TargetUnavailableError, resolveTarget } from '../operator/target';

/** `ffc console [--port P]`: serves the console on 127.0.0.1 until interrupted. */
export function registerConsoleCommand(program: Command, io: CliIo, resolve: TargetResolver = resolveTarget): void {
  program
    .command('console')
    .description('Serve a web console on 127.0.0.1: flags, the region × service grid of a flag, its timeline, live')
    .option('--stage <name>', 'the stage (default: FFC_STAGE); local when FFC_DYNAMODB_ENDPOINT is set, else AWS')
    .addOption(new Option('--port <p>', 'port on 127.0.0.1 (0: any free port)').default(8470).argParser(Number))
    .action(async (options: TargetOptions & { port: number }) => {
      let target;
      try {
        target = await resolve(options);
      } catch (error) {
        if (!(error instanceof TargetUnavailableError)) throw error;
        io.err(`ffc console: ${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      const running = await startConsole({ target, port: options.port });
      io.out(`ffc console for stage '${target.stage}' (${target.where}) at ${running.url} (Ctrl-C stops it)\n`);
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
      await target.close();
    });
}
