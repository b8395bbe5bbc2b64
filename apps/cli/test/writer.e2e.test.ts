import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createFlagWriterHandler } from '@ffc/functions';
import { createFlagWriter } from '@ffc/functions/writing';
import { Gateway, LocalQueue, startGateway, startSqsEventSource } from '@ffc/local-cloud';
import { exampleChange, serviceCatalogue } from '@ffc/rules';
import { createFlagTable, deleteFlagTable, flagTableName } from '@ffc/store';
import { ensureEngines } from '@ffc/tools';
import { ffc } from './support/run-cli';
import { flagStoreFor } from '../src/commands/set';

const stage = `w${randomBytes(3).toString('hex')}`;
const REGION = 'eu-west-1';
// An operator's role session: ReceiveMessage (SQS API reference) reports SenderId as `<role id>:<session name>`.
const OPERATOR = { accessKeyId: 'ASIAOPERATORJDOE', principalId: 'AROAOPERATORROLE1234:jdoe' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-writer-'));

/**
 * `ffc set` through the writer queue, end to end on this machine: the CLI signs SendMessage with the operator's
 * credentials, the local cloud's gateway stamps SenderId from that signature, a Lambda-style SQS event source
 * (batch size 1, as the FlagWriter construct maps it) runs the flag writer, which writes DynamoDB Local.
 */
describe('ffc set → writer queue → flag writer', () => {
  let client: DynamoDBClient;
  let gateway: Gateway;
  let stopMapping: () => Promise<void> | void;
  const saved = { ...process.env };
  const queue = new LocalQueue({
    name: `${stage}-flag-writer`,
    arn: `arn:aws:sqs:${REGION}:123456789012:${stage}-flag-writer`,
    url: `https://sqs.${REGION}.amazonaws.com/123456789012/${stage}-flag-writer`,
    region: REGION,
    visibilityTimeoutSeconds: 30,
  });

  beforeAll(async () => {
    const { dynamodbEndpoint } = ensureEngines(['dynamodb']);
    client = new DynamoDBClient({
      endpoint: dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    await createFlagTable(client, flagTableName(stage));
    gateway = await startGateway(
      {
        sqs: {
          // SenderId from the request's signing identity (the context), as SQS does; never from the message.
          sendMessage: async (ctx, input) => ({
            MessageId: queue.send({ body: input.MessageBody, senderId: ctx.principalId }).messageId,
          }),
          sendMessageBatch: async () => ({ Successful: [], Failed: [] }),
        },
      },
      { principals: { [OPERATOR.accessKeyId]: OPERATOR.principalId } },
    );
    Object.assign(process.env, {
      FFC_DYNAMODB_ENDPOINT: dynamodbEndpoint,
      FFC_WRITER_QUEUE_URL: `${gateway.url}/123456789012/${stage}-flag-writer`,
      FFC_WRITE_TIMEOUT_SECONDS: '15',
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: OPERATOR.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'operator-secret',
    });
    const writer = createFlagWriter({
      store: flagStoreFor(stage),
      audit: { record: async () => undefined },
      catalogue: serviceCatalogue,
      stage,
      production: false,
      region: REGION,
      regions: [REGION],
    });
    const mapping = startSqsEventSource(
      { queue, batchSize: 1, reportBatchItemFailures: true, functionTimeoutSeconds: 15 },
      createFlagWriterHandler(() => writer),
    );
    stopMapping = () => mapping.stop();
  }, 120_000);

  afterAll(async () => {
    await stopMapping?.();
    queue.close();
    await gateway?.close();
    process.env = saved;
    await deleteFlagTable(client, flagTableName(stage));
    client.destroy();
  });

  test('a change signed by the operator lands with changedBy = the operator, whatever the file says', async () => {
    const { stage: _s, version: _v, kind: _k, changedAt: _a, ...change } = exampleChange();
    const file = path.join(dir, 'change.json');
    fs.writeFileSync(file, JSON.stringify({ ...change, flagKey: 'writer-e2e', changedBy: 'mallory' }));
    const before = Date.now();
    const result = await ffc('set', file, '--stage', stage, '--json');
    expect(result.err).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ flagKey: 'writer-e2e', version: 1, changedBy: 'jdoe' });
    const stored = await flagStoreFor(stage).get('writer-e2e');
    expect(stored?.changedBy).toBe('jdoe');
    // SQS's clock, not the operator's: within the test's own window.
    expect(Date.parse(String(stored?.changedAt))).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(String(stored?.changedAt))).toBeLessThanOrEqual(Date.now());
  }, 60_000);
});
