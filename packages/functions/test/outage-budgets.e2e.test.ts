import { createServer } from 'node:net';
import { connectRedis, createFlagCache } from '@ffc/cache';
import { Client } from '@opensearch-project/opensearch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createAuditWriterHandler, createCacheUpdaterHandler } from '../src';
import { REGION, validChange } from './support/fixtures';

const stage = 'fn-budget';
const prefix = `${stage}-fanout-`;

/** A loopback port nothing listens on: every connection is refused, as while a Redis restarts. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cache updater: the Redis outage budget is a setting', () => {
  async function failureAfter(redisOutageBudgetMs: number) {
    const redis = connectRedis({ url: `redis://127.0.0.1:${await refusedPort()}`, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    const handler = createCacheUpdaterHandler(async () => ({
      cache: createFlagCache({ redis, stage }),
      region: REGION,
      queueNamePrefix: prefix,
      appliedLog: { info: () => undefined },
      redisOutageBudgetMs,
    }));
    const record = {
      messageId: 'm-1',
      body: JSON.stringify(validChange({ stage, version: 1 })),
      eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:${prefix}checkout-receipt`,
    } as SQSRecord;
    const started = Date.now();
    const response = await handler({ Records: [record] } as SQSEvent);
    redis.disconnect();
    return { ms: Date.now() - started, failures: response.batchItemFailures };
  }

  test('a message waits for Redis as long as its budget says, then is reported failed (and redelivered)', async () => {
    const patient = await failureAfter(1_500);
    expect(patient.failures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(patient.ms).toBeGreaterThanOrEqual(1_000);
    const impatient = await failureAfter(0);
    expect(impatient.failures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(impatient.ms).toBeLessThan(patient.ms);
  });
});

describe('audit writer: the OpenSearch outage budget is a setting, not a matter of how it was called', () => {
  const body = JSON.stringify({
    type: 'change.published',
    details: { targetServices: ['checkout-api'] },
    stage,
    region: REGION,
    flagKey: 'checkout-one-click',
    version: 1,
    actor: `${stage}-validator`,
    occurredAt: new Date().toISOString(),
    correlationId: 'corr-budget',
  });
  async function failureAfter(settings: Parameters<typeof createAuditWriterHandler>[1]) {
    const down = createAuditWriterHandler(
      () => ({
        client: new Client({ node: `http://127.0.0.1:${port}`, requestTimeout: 200 }),
        stage,
        retry: { maxAttempts: 1, baseDelayMs: 1 },
      }),
      settings,
    );
    const started = Date.now();
    const response = await down({ Records: [{ messageId: 'a-1', body }] } as SQSEvent);
    return { ms: Date.now() - started, failures: response.batchItemFailures };
  }
  let port: number;
  beforeAll(async () => (port = await refusedPort()));

  test('without a Lambda context, a batch still retries for the budget it is given', async () => {
    const patient = await failureAfter({ opensearchOutageBudgetMs: 2_500 });
    expect(patient.failures).toEqual([{ itemIdentifier: 'a-1' }]);
    expect(patient.ms).toBeGreaterThanOrEqual(1_000);
    const unset = await failureAfter(undefined);
    expect(unset.failures).toEqual([{ itemIdentifier: 'a-1' }]);
    expect(unset.ms).toBeLessThan(patient.ms);
  });

  test("a Lambda context's remaining time caps the budget (room for one bulk request is kept)", async () => {
    const down = createAuditWriterHandler(
      () => ({
        client: new Client({ node: `http://127.0.0.1:${port}`, requestTimeout: 200 }),
        stage,
        retry: { maxAttempts: 1, baseDelayMs: 1 },
      }),
      { opensearchOutageBudgetMs: 40_000 },
    );
    const started = Date.now();
    await down({ Records: [{ messageId: 'a-2', body }] } as SQSEvent, { getRemainingTimeInMillis: () => 16_000 });
    // Uncapped, the first retry alone would wait 1 s.
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
