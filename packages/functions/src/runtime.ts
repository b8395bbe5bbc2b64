import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FlagStore, createFlagStore } from '@ffc/store';
import { createSqsAuditSink } from './aws/sqs-audit-sink';
import { AuditSink } from './ports/audit-sink';

/** A setting the RegionalPath construct passes every function; missing means a deployment defect. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the RegionalPath construct sets it)`);
  return value;
}

/** What every function knows about where it runs. */
export interface RegionalSettings {
  readonly stage: string;
  readonly region: string;
  readonly production: boolean;
  /** Every region flags are served in: last known good must be verified in all of them. */
  readonly regions: readonly string[];
}

export function regionalSettings(env: NodeJS.ProcessEnv = process.env): RegionalSettings {
  return {
    stage: requiredEnv('STAGE', env),
    region: requiredEnv('AWS_REGION', env),
    production: env.PRODUCTION === 'true',
    regions: requiredEnv('REGIONS', env).split(','),
  };
}

/** Built once per container on first use, so importing a handler module costs nothing (tests, cold start). */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export const logger = new Logger({ serviceName: 'ffc' });

export function flagStoreFromEnv(env: NodeJS.ProcessEnv = process.env): FlagStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createFlagStore({ client, tableName: requiredEnv('FLAG_TABLE_NAME', env) });
}

export function auditSinkFromEnv(env: NodeJS.ProcessEnv = process.env): AuditSink {
  return createSqsAuditSink(new SQSClient({}), requiredEnv('AUDIT_QUEUE_URL', env), requiredEnv('STAGE', env));
}
