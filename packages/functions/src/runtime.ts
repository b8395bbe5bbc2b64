import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ChangePolicy, parseChangePolicyJson } from '@ffc/rules';
import { FlagStore, createFlagStore } from '@ffc/store';
import { createSqsAuditSink } from './aws/sqs-audit-sink';
import { AuditSink } from './ports/audit-sink';

/** A setting the RegionalPath construct passes every function; missing means a deployment defect. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the RegionalPath construct sets it)`);
  return value;
}

/**
 * A duration setting (milliseconds, a non-negative integer) from the environment; undefined when unset, so
 * the caller's documented default applies. A malformed value is a deployment defect, refused at start.
 */
export function durationSettingMs(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) {
    throw new Error(`environment variable ${name} must be a whole number of milliseconds, got '${text}'`);
  }
  return Number(text);
}

/**
 * The stage's change windows and freezes as the ValidatorSource and FlagWriter constructs hand them over (CHANGE_POLICY,
 * JSON); none configured means production changes are judged by no window or freeze.
 */
export function changePolicyFromEnv(env: NodeJS.ProcessEnv = process.env): ChangePolicy | undefined {
  const text = env.CHANGE_POLICY;
  return text === undefined ? undefined : parseChangePolicyJson(text, 'environment variable CHANGE_POLICY');
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
