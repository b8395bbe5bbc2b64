import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  AuditEvent,
  AuditRecord,
  AuditStoreUnavailableError,
  auditConnectionFromEnv,
  createAuditClient,
  createAuditReader,
  createAuditWriter,
  createFileSpool,
} from '@ffc/audit';
import { FlagCache, connectRedis, createFlagCache } from '@ffc/cache';
import { CURRENT_SK, FlagDocument, FlagStore, createFlagStore, flagTableName } from '@ffc/store';
import { localEngines, readLocalStageState } from '../local-stage';

/** What the operator commands read and write: a stage's flag table, its audit history and, where reachable, its caches. */
export interface StageTarget {
  readonly stage: string;
  /** `local`: this machine's local cloud (caches readable); `deployed`: AWS, the caches are inside the VPC. */
  readonly where: 'local' | 'deployed';
  /** Every region the stage serves the flag in, primary first. */
  readonly regions: readonly string[];
  readonly store: FlagStore;
  /** Each region's Redis; absent when they cannot be reached from here (a deployed stage's are in its VPC). */
  readonly caches?: ReadonlyMap<string, FlagCache>;
  readonly audit: OperatorAudit;
  /** The current document of every flag (a table scan: the store has no listing of its own). */
  listFlags(): Promise<FlagDocument[]>;
  close(): Promise<void>;
}

export interface OperatorAudit {
  /** The flag's events, newest first; throws AuditUnavailableError when the audit store does not answer. */
  history(flagKey: string, limit?: number): Promise<AuditRecord[]>;
  /**
   * Hands events to a durable spool first, then to OpenSearch: `delivered` false means they wait in the spool
   * (named in `detail`) and the next operator command that records delivers them.
   */
  record(events: readonly AuditEvent[]): Promise<{ readonly delivered: boolean; readonly detail: string }>;
}

/** The audit history cannot be read; the commands say so and go on with what the flag table shows. */
export class AuditUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditUnavailableError';
  }
}

/** A stage the CLI cannot reach or resolve; the message says what to run or set. */
export class TargetUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnavailableError';
  }
}

export interface TargetOptions {
  readonly stage?: string;
}

/** How commands obtain their stage; tests pass one bound to a LocalStage they started. */
export type TargetResolver = (options: TargetOptions) => Promise<StageTarget>;

export interface TargetParts {
  readonly stage: string;
  readonly where: 'local' | 'deployed';
  readonly regions: readonly string[];
  readonly dynamo: DynamoDBClient;
  readonly opensearchUrl: string;
  /** redis:// URL of each region's Redis, when reachable. */
  readonly redisUrls?: ReadonlyMap<string, string>;
  /** Where operator audit events wait until OpenSearch takes them. @default ~/.ffc/audit-spool/<stage> */
  readonly spoolDirectory?: string;
}

/** Assembles a target from its connections (the CLI's resolver and tests both build one through this). */
export function createStageTarget(parts: TargetParts): StageTarget {
  const documentClient = DynamoDBDocumentClient.from(parts.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = createFlagStore({ client: documentClient, tableName: flagTableName(parts.stage) });
  const redis = [...(parts.redisUrls ?? [])].map(([region, url]) => ({
    region,
    client: connectRedis({ url, maxRetriesPerRequest: 1 }),
  }));
  const caches = parts.redisUrls
    ? new Map(redis.map(({ region, client }) => [region, createFlagCache({ redis: client, stage: parts.stage })]))
    : undefined;
  const connection = auditConnectionFromEnv({ ...process.env, FFC_OPENSEARCH_URL: parts.opensearchUrl }, '');
  const client = createAuditClient(connection, { requestTimeoutMs: 10_000 });
  const reader = createAuditReader({ client, stage: parts.stage });
  const spoolDirectory = parts.spoolDirectory ?? path.join(os.homedir(), '.ffc', 'audit-spool', parts.stage);
  const writer = createAuditWriter({
    client,
    stage: parts.stage,
    buffer: createFileSpool({ directory: spoolDirectory }),
    // An operator waits at the prompt: one attempt, and the spool keeps what OpenSearch did not take.
    retry: { maxAttempts: 1 },
  });

  return {
    stage: parts.stage,
    where: parts.where,
    regions: parts.regions,
    store,
    caches,
    async listFlags() {
      const flags: FlagDocument[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new ScanCommand({
            TableName: flagTableName(parts.stage),
            FilterExpression: 'sk = :current',
            ExpressionAttributeValues: { ':current': CURRENT_SK },
            ExclusiveStartKey,
          }),
        );
        flags.push(...(page.Items ?? []).map((item) => item.document as FlagDocument));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return flags.sort((a, b) => a.flagKey.localeCompare(b.flagKey));
    },
    audit: {
      async history(flagKey, limit = 500) {
        try {
          return await reader.history(flagKey, { limit });
        } catch (error) {
          throw new AuditUnavailableError(
            `the audit history at ${connection.node} did not answer (${(error as Error).message}); check FFC_OPENSEARCH_URL`,
          );
        }
      },
      async record(events) {
        await writer.record(events);
        try {
          await writer.flush();
          return { delivered: true, detail: `written to the audit history at ${connection.node}` };
        } catch (error) {
          if (!(error instanceof AuditStoreUnavailableError)) throw error;
          return {
            delivered: false,
            detail: `OpenSearch at ${connection.node} did not take them (${error.message}); they wait in ${spoolDirectory}`,
          };
        }
      },
    },
    async close() {
      for (const region of redis) region.client.disconnect();
      parts.dynamo.destroy();
      await client.close();
    },
  };
}

/**
 * The stage the options name: the local stage when FFC_DYNAMODB_ENDPOINT is set (as `ffc local up` prints),
 * otherwise the deployed stage through the AWS credential chain, its regions read from the global table's
 * replicas.
 */
export const resolveTarget: TargetResolver = async (options) => {
  const stage = options.stage ?? process.env.FFC_STAGE;
  if (!stage) throw new TargetUnavailableError('no stage given: pass --stage NAME or set FFC_STAGE');
  const endpoint = process.env.FFC_DYNAMODB_ENDPOINT;
  if (endpoint) {
    const settings = localEngines();
    const state = readLocalStageState(stage);
    if (!state) {
      throw new TargetUnavailableError(
        `FFC_DYNAMODB_ENDPOINT is set but no local stage '${stage}' is up: run ffc local up --stage ${stage}, or unset FFC_DYNAMODB_ENDPOINT to reach the deployed stage`,
      );
    }
    const dynamo = new DynamoDBClient({
      endpoint,
      region: state.primaryRegion,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return createStageTarget({
      stage,
      where: 'local',
      regions: state.regions,
      dynamo,
      opensearchUrl: settings.opensearchUrl,
      redisUrls: new Map(
        state.regions.map((region, i) => [region, `redis://127.0.0.1:${settings.cloudRedisPorts[i]}`]),
      ),
    });
  }
  const dynamo = new DynamoDBClient({});
  let regions: string[];
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: flagTableName(stage) }));
    const own = await dynamo.config.region();
    regions = [...new Set([own, ...(Table?.Replicas ?? []).map((r) => r.RegionName!)])];
  } catch (error) {
    dynamo.destroy();
    throw new TargetUnavailableError(
      `cannot read the flag table ${flagTableName(stage)} of stage '${stage}' (${(error as Error).message}): check the AWS credentials and AWS_REGION`,
    );
  }
  const opensearchUrl = process.env.FFC_OPENSEARCH_URL;
  if (!opensearchUrl) {
    dynamo.destroy();
    throw new TargetUnavailableError(
      `set FFC_OPENSEARCH_URL (and FFC_OPENSEARCH_SIGV4_REGION) to the audit domain of stage '${stage}': per-region progress of a deployed stage comes from the consistency checker's audit events`,
    );
  }
  return createStageTarget({ stage, where: 'deployed', regions, dynamo, opensearchUrl });
};
