import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The local engines `tools/engines` manages. */
export type EngineName = 'redis' | 'dynamodb' | 'opensearch' | 'cloud' | 'cloud-dynamodb';

/** Where tests and the local runtime find each engine; the environment wins over the fixed local ports. */
export interface EngineSettings {
  readonly redisUrl: string;
  readonly dynamodbEndpoint: string;
  readonly opensearchUrl: string;
  /** The local cloud's DynamoDB Local: one database per region. */
  readonly cloudDynamodbEndpoint: string;
  /** The local cloud's Redis servers, one per region, in region order. */
  readonly cloudRedisPorts: readonly number[];
}

const ENGINES_SCRIPT = path.resolve(__dirname, '..', 'engines');

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  return {
    redisUrl: env.FFC_REDIS_URL ?? 'redis://127.0.0.1:6391',
    dynamodbEndpoint: env.FFC_DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8011',
    opensearchUrl: env.FFC_OPENSEARCH_URL ?? 'http://127.0.0.1:9211',
    cloudDynamodbEndpoint: env.FFC_CLOUD_DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8012',
    cloudRedisPorts: (env.FFC_CLOUD_REDIS_PORTS ?? '6401,6402,6403,6404,6405,6406,6407,6408,6409,6410,6411,6412')
      .split(',')
      .map(Number),
  };
}

/**
 * Starts the named engines (installing them if missing) and waits until they answer; idempotent, so every
 * test suite's global setup may call it. Set FFC_ENGINES=external to use engines started elsewhere.
 */
export function ensureEngines(names: readonly EngineName[], env: NodeJS.ProcessEnv = process.env): EngineSettings {
  if (env.FFC_ENGINES !== 'external') {
    execFileSync(ENGINES_SCRIPT, ['up', ...names], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return engineSettings(env);
}
