import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { connectRedis } from '@ffc/cache';
import { LocalEngines } from './local-stage';

export interface EngineCheck {
  readonly engine: 'redis' | 'dynamodb' | 'opensearch';
  readonly endpoint: string;
  readonly ok: boolean;
  readonly detail: string;
}

async function check(
  engine: EngineCheck['engine'],
  endpoint: string,
  probe: () => Promise<string>,
): Promise<EngineCheck> {
  try {
    return { engine, endpoint, ok: true, detail: await probe() };
  } catch (error) {
    return { engine, endpoint, ok: false, detail: (error as Error).message || String(error) };
  }
}

/** Asks each engine the cheapest real question: Redis PING, DynamoDB ListTables, OpenSearch cluster health. */
export async function checkEngines(
  settings: Pick<LocalEngines, 'redisUrl' | 'dynamodbEndpoint' | 'opensearchUrl'>,
): Promise<EngineCheck[]> {
  return Promise.all([
    check('redis', settings.redisUrl, async () => {
      // One attempt: a retrying client left a reconnect timer and a 2 s socket-close wait behind (F30).
      const redis = connectRedis({ url: settings.redisUrl, reconnect: false });
      let cause: Error | undefined;
      redis.on('error', (error: Error) => (cause = error));
      try {
        await redis.connect();
        return await redis.ping();
      } catch (error) {
        // ioredis rejects with "Connection is closed."; the socket's error says why (ECONNREFUSED…).
        throw cause ?? error;
      } finally {
        if (redis.status !== 'end') redis.disconnect();
      }
    }),
    check('dynamodb', settings.dynamodbEndpoint, async () => {
      const client = new DynamoDBClient({
        endpoint: settings.dynamodbEndpoint,
        region: process.env.AWS_REGION ?? 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      try {
        const { TableNames = [] } = await client.send(new ListTablesCommand({}));
        return `${TableNames.length} tables`;
      } finally {
        client.destroy();
      }
    }),
    check('opensearch', settings.opensearchUrl, async () => {
      const response = await fetch(`${settings.opensearchUrl}/_cluster/health`, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { status } = (await response.json()) as { status: string };
      if (status === 'red') throw new Error('cluster health is red');
      return `cluster ${status}`;
    }),
  ]);
}
