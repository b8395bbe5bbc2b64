import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { validationContextFromStore } from '@ffc/functions';
import { InvalidStageNameError, isStageName } from '@ffc/identifiers';
import { FlagChangeParseError, parseFlagChange, serviceCatalogue, validateChange, Violation } from '@ffc/rules';
import { FlagStore, VersionConflictError, createFlagStore, flagTableName } from '@ffc/store';
import { Command } from 'commander';
import type { CliIo } from '../main';

interface SetOptions {
  readonly stage?: string;
  readonly production?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** A refusal before anything is written: exit 1 for a rule or a conflict, 2 for unusable input. */
class SetRefused extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    readonly violations: readonly Violation[] = [],
  ) {
    super(message);
  }
}

/** The flag table of a stage: DynamoDB Local when FFC_DYNAMODB_ENDPOINT is set, otherwise AWS. */
export function flagStoreFor(stage: string, env: NodeJS.ProcessEnv = process.env): FlagStore {
  const endpoint = env.FFC_DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return createFlagStore({ client: documentClient, tableName: flagTableName(stage) });
}

/**
 * Writes a change the way the system expects one: the next version, validated against every rule with the
 * same context the stream validators will build, and conditional on nobody having changed the flag since.
 */
async function setFlag(store: FlagStore, file: string, options: SetOptions & { stage: string }) {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new SetRefused(`${file}: ${(error as Error).message}`, 2);
  }
  return setChange(store, input, file, options);
}

/** The write path of `ffc set` for a change already read (the local demo writes through it too). */
export async function setChange(
  store: FlagStore,
  input: Record<string, unknown>,
  file: string,
  options: SetOptions & { stage: string },
) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SetRefused(`${file}: must hold one JSON object`, 2);
  }
  if (input.kind !== undefined && input.kind !== 'change') {
    throw new SetRefused(`${file}: kind '${String(input.kind)}' is written only by the connector; omit kind`, 2);
  }
  if (input.stage !== undefined && input.stage !== options.stage) {
    throw new SetRefused(`${file}: the change is for stage '${String(input.stage)}', not '${options.stage}'`, 2);
  }
  const flagKey = String(input.flagKey ?? '');
  const latest = await store.latestVersion(flagKey);
  if (input.version !== undefined && input.version !== latest + 1) {
    throw new SetRefused(
      `${file}: version ${String(input.version)} given, but '${flagKey}' is at version ${latest}: omit version`,
      1,
    );
  }
  let change;
  try {
    change = parseFlagChange({
      ...input,
      stage: options.stage,
      version: latest + 1,
      kind: 'change',
      changedAt: new Date().toISOString(),
    });
  } catch (error) {
    if (error instanceof FlagChangeParseError) throw new SetRefused(`${file}: ${error.message}`, 2);
    throw error;
  }
  const current = await store.get(flagKey);
  const context = await validationContextFromStore(store, change, current ?? undefined, {
    stage: options.stage,
    production: options.production ?? false,
    catalogue: serviceCatalogue,
  });
  const verdict = validateChange(change, context);
  if (!verdict.valid) throw new SetRefused(`${flagKey}: refused by the rules, nothing written`, 1, verdict.violations);
  const correlationId = randomUUID();
  if (!options.dryRun) {
    try {
      await store.put({ ...change, correlationId }, { expectedVersion: latest });
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw new SetRefused(`${flagKey}: ${error.message} — someone changed it meanwhile; run again`, 1);
      }
      throw error;
    }
  }
  return {
    flagKey,
    stage: options.stage,
    version: change.version,
    correlationId,
    written: !options.dryRun,
    warnings: verdict.violations,
  };
}

/** `ffc set FILE --stage NAME`: the operator's write path. */
export function registerSetCommand(
  program: Command,
  io: CliIo,
  storeFor: (stage: string) => FlagStore = flagStoreFor,
): void {
  program
    .command('set')
    .description(
      'Validate a flag change against every rule and write it as the next version (exit 0 written, 1 refused, 2 bad input)',
    )
    .argument('<file>', 'the change as JSON (without version, kind or changedAt: set computes them)')
    .option('--stage <name>', 'the stage to change (default: FFC_STAGE)')
    .option('--production', 'apply the production policy (ticket, reason, change windows, ramp limits)')
    .option('--dry-run', 'validate against the current state, write nothing')
    .option('--json', 'the result as one JSON object')
    .action(async (file: string, options: SetOptions) => {
      const stage = options.stage ?? process.env.FFC_STAGE;
      if (!stage) {
        io.err('ffc set: no stage given: pass --stage NAME or set FFC_STAGE\n');
        process.exitCode = 2;
        return;
      }
      if (!isStageName(stage)) {
        io.err(`ffc set: ${new InvalidStageNameError(stage).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        const result = await setFlag(storeFor(stage), file, { ...options, stage });
        io.out(
          options.json
            ? `${JSON.stringify(result)}\n`
            : `${result.written ? 'set' : 'valid (dry run, nothing written):'} ${result.flagKey} version ${result.version} in ${stage} (correlation id ${result.correlationId})\n` +
                result.warnings.map((w) => `  warning ${w.ruleId} ${w.path}: ${w.message}\n`).join(''),
        );
      } catch (error) {
        if (!(error instanceof SetRefused)) throw error;
        io.err(
          options.json
            ? `${JSON.stringify({ error: error.message, violations: error.violations })}\n`
            : `ffc set: ${error.message}\n` +
                error.violations.map((v) => `  ${v.severity} ${v.ruleId} ${v.path}: ${v.message}\n`).join(''),
        );
        process.exitCode = error.exitCode;
      }
    });
}
