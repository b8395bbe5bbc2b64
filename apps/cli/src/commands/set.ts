import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  WRITER_STAMPED_FIELDS,
  WriteClientOptions,
  WriteNotLandedError,
  WriteSupersededError,
  submitWriteRequest,
} from '@ffc/functions/writing';
import { FLAG_REGIONS, InvalidStageNameError, isStageName } from '@ffc/identifiers';
import {
  FlagChangeParseError,
  InvalidChangePolicyError,
  parseChangePolicyJson,
  parseFlagChange,
  serviceCatalogue,
  validateChange,
  validationContextFromStore,
  Violation,
} from '@ffc/rules';
import { FlagDocument, FlagStore, VersionConflictError, createFlagStore, flagTableName } from '@ffc/store';
import { Command } from 'commander';
import type { CliIo } from '../io';

interface SetOptions {
  readonly stage?: string;
  readonly production?: boolean;
  /** The stage's change policy file (the one its infra context `changePolicy` names). */
  readonly changePolicy?: string;
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
/** How a validated change reaches the flag table; what landed is returned (the writer stamps who and when). */
export type WriteChange = (
  store: FlagStore,
  change: FlagDocument & { readonly correlationId: string },
  expectedVersion: number,
) => Promise<FlagDocument>;

/** DynamoDB Local has no IAM: a local stage without a writer queue takes the store's put directly. */
export const putDirectly: WriteChange = (store, change, expectedVersion) => store.put(change, { expectedVersion });

/**
 * Through the stage's writer queue, the only way a deployed stage accepts a change: the flag writer stamps
 * changedBy from the identity that signed SendMessage and changedAt from SQS's clock (README, "Who wrote this
 * change"). Waits until the version lands; WriteNotLandedError after `timeoutMs`.
 */
export function throughWriterQueue(queue: Omit<WriteClientOptions, 'store'>): WriteChange {
  return async (store, change, expectedVersion) => {
    const fields: Record<string, unknown> = { ...change };
    for (const field of WRITER_STAMPED_FIELDS) delete fields[field];
    const request = {
      action: 'set' as const,
      flagKey: change.flagKey,
      expectedVersion,
      correlationId: change.correlationId,
    };
    return submitWriteRequest({ ...queue, store }, { ...request, change: fields });
  };
}

/**
 * A stage's writer queue: the one FFC_WRITER_QUEUE_URL names, or for a deployed stage `<stage>-flag-writer` in
 * its home region (AWS_REGION). None for a local stage without one: DynamoDB Local has no IAM to keep out.
 */
export function writerQueueOf(
  stage: string,
  local: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Omit<WriteClientOptions, 'store'> | undefined {
  const queueUrl = env.FFC_WRITER_QUEUE_URL;
  if (!queueUrl && local) return undefined;
  const timeoutMs = env.FFC_WRITE_TIMEOUT_SECONDS ? Number(env.FFC_WRITE_TIMEOUT_SECONDS) * 1000 : undefined;
  return { stage, queueUrl, timeoutMs };
}

/** The write path of a stage: through its writer queue when it has one, else the store's put. */
export function writeChangeFor(stage: string, env: NodeJS.ProcessEnv = process.env): WriteChange {
  const queue = writerQueueOf(stage, Boolean(env.FFC_DYNAMODB_ENDPOINT), env);
  return queue ? throughWriterQueue(queue) : putDirectly;
}

async function setFlag(store: FlagStore, file: string, options: SetOptions & { stage: string; write?: WriteChange }) {
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
  options: SetOptions & { stage: string; write?: WriteChange },
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
    // Every region a stage can serve: one it does not serve never verifies, so here no write-back counts as
    // a rollback unless the validator would count it too (stricter than the validator, never looser).
    regions: FLAG_REGIONS,
    ...changePolicyOf(options.changePolicy, file),
  });
  const verdict = validateChange(change, context);
  if (!verdict.valid) throw new SetRefused(`${flagKey}: refused by the rules, nothing written`, 1, verdict.violations);
  const correlationId = randomUUID();
  let landed: FlagDocument | undefined;
  if (!options.dryRun) {
    try {
      landed = await (options.write ?? putDirectly)(store, { ...change, correlationId }, latest);
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw new SetRefused(`${flagKey}: ${error.message} — someone changed it meanwhile; run again`, 1);
      }
      if (error instanceof WriteNotLandedError || error instanceof WriteSupersededError) {
        throw new SetRefused(`${flagKey}: ${error.message}`, 1);
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
    // As the writer stamped them: the identity that signed the request, SQS's time.
    changedBy: landed?.changedBy,
    changedAt: landed?.changedAt,
    warnings: verdict.violations,
  };
}

/** The stage's change windows and freezes from its policy file; none given: no window or freeze applies. */
function changePolicyOf(policyFile: string | undefined, file: string) {
  if (policyFile === undefined) return {};
  let text: string;
  try {
    text = readFileSync(policyFile, 'utf8');
  } catch (error) {
    throw new SetRefused(`${file}: change policy ${policyFile}: ${(error as Error).message}`, 2);
  }
  try {
    return parseChangePolicyJson(text, `change policy ${policyFile}`);
  } catch (error) {
    if (error instanceof InvalidChangePolicyError) throw new SetRefused(`${file}: ${error.message}`, 2);
    throw error;
  }
}

/** `ffc set FILE --stage NAME`: the operator's write path. */
export function registerSetCommand(
  program: Command,
  io: CliIo,
  storeFor: (stage: string) => FlagStore = flagStoreFor,
  writerFor: (stage: string) => WriteChange = writeChangeFor,
): void {
  program
    .command('set')
    .description(
      'Validate a flag change against every rule and write it as the next version (exit 0 written, 1 refused, 2 bad input)',
    )
    .argument('<file>', 'the change as JSON (without version, kind or changedAt: set computes them)')
    .option('--stage <name>', 'the stage to change (default: FFC_STAGE)')
    .option('--production', 'apply the production policy (ticket, reason, change windows, ramp limits)')
    .option(
      '--change-policy <file>',
      "the stage's change windows and freezes, JSON (default: FFC_CHANGE_POLICY; the file its infra context changePolicy names)",
    )
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
        const changePolicy = options.changePolicy ?? process.env.FFC_CHANGE_POLICY;
        const result = await setFlag(storeFor(stage), file, {
          ...options,
          changePolicy,
          stage,
          write: writerFor(stage),
        });
        io.out(
          options.json
            ? `${JSON.stringify(result)}\n`
            : `${result.written ? 'set' : 'valid (dry run, nothing written):'} ${result.flagKey} version ${result.version} in ${stage} (correlation id ${result.correlationId}${result.changedBy ? `, by ${result.changedBy}` : ''})\n` +
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
