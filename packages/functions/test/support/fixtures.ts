import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  DescribeStreamCommand,
  _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AuditEvent } from '@ffc/audit/events';
import { FlagChange, exampleChange, serviceCatalogue } from '@ffc/rules';
import { FlagStore, createFlagStore, createFlagTable, deleteFlagTable } from '@ffc/store';
import { ensureEngines } from '@ffc/tools';
import {
  ACTORS,
  AuditSink,
  ChangePublisher,
  PublishedChange,
  StreamValidatorDeps,
  createStreamValidator,
  createValidatorHandler,
} from '../../src';

export const STAGE = 'pr-7';
export const REGION = 'eu-west-1';

/** A non-production change that breaks no rule, in this test stage. */
export function validChange(overrides: Partial<FlagChange> = {}): FlagChange {
  return exampleChange({ stage: STAGE, ...overrides });
}

export class RecordingAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  async record(events: readonly AuditEvent[]): Promise<void> {
    this.events.push(...events);
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

export class RecordingPublisher implements ChangePublisher {
  readonly published: PublishedChange[] = [];
  async publish(change: PublishedChange): Promise<void> {
    this.published.push(change);
  }
}

export interface LocalFlagTable {
  readonly store: FlagStore;
  readonly tableName: string;
  /** Writes a flag's CURRENT item directly, as a writer that bypasses the CLI and the store would. */
  readonly writeCurrentRaw: (document: Record<string, unknown> & { flagKey: string; version: number }) => Promise<void>;
  /** Writes any item directly (a verification fact, say), as a writer that bypasses the store would. */
  readonly writeItemRaw: (item: Record<string, unknown> & { pk: string; sk: string }) => Promise<void>;
  /** Every stream record written since the last call, as GetRecords returns them. */
  readonly newStreamRecords: () => Promise<_Record[]>;
}

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** A flag table of this test file's own on DynamoDB Local, with a reader of its real stream. */
export function useLocalFlagTable(): () => LocalFlagTable {
  let table: LocalFlagTable | undefined;
  let client: DynamoDBClient;
  beforeAll(async () => {
    const { dynamodbEndpoint: endpoint } = ensureEngines(['dynamodb']);
    client = new DynamoDBClient({ endpoint, ...local });
    const tableName = `fn-${randomBytes(4).toString('hex')}-flags`;
    const { streamArn } = await createFlagTable(client, tableName);
    const streams = new DynamoDBStreamsClient({ endpoint, ...local });
    const iterators = new Map<string, string | undefined>();
    const newStreamRecords = async () => {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const records: _Record[] = [];
      for (const shard of StreamDescription?.Shards ?? []) {
        const shardId = shard.ShardId!;
        let iterator = iterators.get(shardId);
        if (!iterators.has(shardId)) {
          iterator = (
            await streams.send(
              new GetShardIteratorCommand({
                StreamArn: streamArn,
                ShardId: shardId,
                ShardIteratorType: 'TRIM_HORIZON',
              }),
            )
          ).ShardIterator;
        }
        if (!iterator) continue;
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        iterators.set(shardId, page.NextShardIterator);
      }
      return records;
    };
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const writeItemRaw = async (item: Record<string, unknown> & { pk: string; sk: string }) => {
      await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
    };
    const writeCurrentRaw = (document: Record<string, unknown> & { flagKey: string; version: number }) =>
      writeItemRaw({ pk: `FLAG#${document.flagKey}`, sk: 'CURRENT', version: document.version, document });
    table = {
      store: createFlagStore({ client: documentClient, tableName }),
      tableName,
      newStreamRecords,
      writeCurrentRaw,
      writeItemRaw,
    };
  }, 120_000);
  afterAll(async () => {
    if (table) await deleteFlagTable(client, table.tableName);
    client?.destroy();
  });
  return () => {
    if (!table) throw new Error('the local flag table is created in beforeAll');
    return table;
  };
}

/**
 * A region's stream validator over a test table, recording what it publishes and audits; `overrides` change
 * one dependency (the region, the policy, a failing publisher).
 */
export function regionalValidator(store: FlagStore, overrides: Partial<StreamValidatorDeps> = {}) {
  const publisher = new RecordingPublisher();
  const audit = new RecordingAudit();
  const validator = createStreamValidator({
    store,
    publisher,
    audit,
    catalogue: serviceCatalogue,
    stage: STAGE,
    production: false,
    region: REGION,
    actor: ACTORS.validator,
    ...overrides,
  });
  return { publisher, audit, validator, handler: createValidatorHandler(() => validator) };
}
