import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LocalStage } from '@ffc/local-cloud';
import { platformChange } from '@ffc/rules';
import { FlagStore, createFlagStore } from '@ffc/store';
import { Command } from 'commander';
import { startLocalStage } from '../../src/commands/local';
import { setChange } from '../../src/commands/set';
import type { CliIo } from '../../src/io';
import { registerOperatorCommands } from '../../src/operator/register';
import { StageTarget, createStageTarget } from '../../src/operator/target';

export const STAGE = 'operator';

/**
 * A local stage of 2 regions for the operator tests (stage 'operator', so the demo's 'local' stage is left
 * alone); LocalStage.start gives it an empty audit history with the deployed index template.
 */
export async function startOperatorStage(waitScale: number): Promise<LocalStage> {
  const silent: CliIo = { out: () => undefined, err: () => undefined };
  return startLocalStage({ stage: STAGE, regions: 2, waitScale }, silent);
}

/** The operator commands' view of a LocalStage started in this process (the CLI resolves it from state.json). */
export function targetOf(stage: LocalStage, spoolDirectory: string): () => Promise<StageTarget> {
  return async () =>
    createStageTarget({
      stage: STAGE,
      where: 'local',
      regions: stage.regions,
      dynamo: stage.dynamo(stage.primaryRegion),
      opensearchUrl: stage.options.engines.opensearchUrl,
      redisUrls: new Map(stage.regions.map((region) => [region, stage.redisUrl(region)])),
      spoolDirectory,
    });
}

export function storeOf(stage: LocalStage): FlagStore {
  const client = DynamoDBDocumentClient.from(stage.dynamo(stage.primaryRegion), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createFlagStore({ client, tableName: stage.tableName });
}

/** `ffc set` of a boolean flag for every service, as the demo writes it. */
export async function setFlag(store: FlagStore, flagKey: string, value: boolean, reason: string) {
  const change = platformChange(flagKey, 'Operator test flag for every service');
  return setChange(store, { ...change, value, reason }, 'test change', { stage: STAGE });
}

/** Runs the operator commands in-process against `stage`, the way main() runs them (exit code 2 on bad usage). */
export function operatorCli(stage: LocalStage) {
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-spool-'));
  const resolve = targetOf(stage, spool);
  return async (...args: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t) };
    const program = new Command('ffc').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    registerOperatorCommands(program, io, resolve, () => false);
    process.exitCode = 0;
    try {
      await program.parseAsync(['node', 'ffc', ...args]);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('commander.')) throw error;
      if (code !== 'commander.helpDisplayed') process.exitCode = 2;
    }
    const exitCode = process.exitCode;
    process.exitCode = 0;
    return { out, err, exitCode };
  };
}
