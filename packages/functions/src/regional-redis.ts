import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RedisClient, connectRedis, redisSettingsFromEnv } from '@ffc/cache';
import { logger, requiredEnv } from './runtime';

/** A secret's string value by ARN (Secrets Manager in Lambda; tests pass their own). */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

const readFromSecretsManager: SecretReader = async (secretArn) =>
  (await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;

// Apart from runtime.ts: only the functions that use Redis should bundle its client.
/**
 * The region's Redis (TLS) as this function's own ElastiCache RBAC user (REDIS_USERNAME), its password read
 * from that user's secret (REDIS_SECRET_ARN) once per container. The RegionalRedis construct sets all three.
 */
export async function regionalRedisFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  readSecret: SecretReader = readFromSecretsManager,
): Promise<RedisClient> {
  const secretArn = requiredEnv('REDIS_SECRET_ARN', env);
  const password = await readSecret(secretArn);
  if (!password) throw new Error(`secret ${secretArn} has no SecretString: it must hold the Redis user's password`);
  const redis = connectRedis({
    ...redisSettingsFromEnv({ FFC_REDIS_URL: requiredEnv('REDIS_URL', env) }),
    username: requiredEnv('REDIS_USERNAME', env),
    password,
  });
  redis.on('error', (error) => logger.warn('redis connection error', { error }));
  return redis;
}
