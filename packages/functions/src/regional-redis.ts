import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RedisClient, connectRedis, redisSettingsFromEnv } from '@ffc/cache';
import { logger, requiredEnv } from './runtime';

// Apart from runtime.ts: only the functions that use Redis should bundle its client.
/** The region's Redis (TLS) with its AUTH token read from Secrets Manager once per container. */
export async function regionalRedisFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RedisClient> {
  const secret = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: requiredEnv('REDIS_AUTH_SECRET_ARN', env) }),
  );
  const redis = connectRedis({
    ...redisSettingsFromEnv({ FFC_REDIS_URL: requiredEnv('REDIS_URL', env) }),
    password: secret.SecretString,
  });
  redis.on('error', (error) => logger.warn('redis connection error', { error }));
  return redis;
}
