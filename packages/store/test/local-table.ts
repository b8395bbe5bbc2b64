import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FLAG_REGIONS } from '@ffc/identifiers';
import { ensureEngines } from '@ffc/tools';
import { createFlagTable, deleteFlagTable } from '../src';

export interface LocalFlagTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly streamArn: string;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
}

/** The twelve regions a stage serves, widened so a test can pass any subset of them. */
export const REGIONS: readonly string[] = FLAG_REGIONS;

/** DynamoDB Local accepts any credentials; the region only has to be a valid one. */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

/**
 * A flag table of its own for one test file on DynamoDB Local (other engineers' tests share the engine),
 * deleted afterwards. Read `table()` inside tests: it is created in beforeAll.
 */
export function useLocalFlagTable(): () => LocalFlagTable {
  let local: LocalFlagTable | undefined;
  beforeAll(async () => {
    const { dynamodbEndpoint } = ensureEngines(['dynamodb']);
    const client = new DynamoDBClient(localClientConfig(dynamodbEndpoint));
    const tableName = `t-${randomBytes(4).toString('hex')}-flags`;
    const { streamArn } = await createFlagTable(client, tableName);
    local = {
      endpoint: dynamodbEndpoint,
      tableName,
      streamArn,
      client,
      documentClient: DynamoDBDocumentClient.from(client),
    };
  }, 120_000);
  afterAll(async () => {
    if (!local) return;
    await deleteFlagTable(local.client, local.tableName);
    local.client.destroy();
  });
  return () => {
    if (!local) throw new Error('the local flag table is created in beforeAll; read it inside a test');
    return local;
  };
}

/** A flag document shaped like the @ffc/rules model (the store only reads flagKey and version). */
export function flagDocument(flagKey: string, version: number, value: unknown = version % 2 === 0) {
  return {
    flagKey,
    stage: 'test',
    type: 'boolean',
    value,
    services: ['checkout'],
    changedBy: 'alice@example.com',
    changedAt: '2025-01-01T00:00:00.000Z',
    correlationId: `change-${version}`,
    version,
  };
}

let flagCounter = 0;
/** A flag key no other test in the run uses. */
export function uniqueFlagKey(label: string): string {
  flagCounter += 1;
  return `${label}-${flagCounter}-${randomBytes(3).toString('hex')}`;
}
