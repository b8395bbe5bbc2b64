import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Gateway, GatewayRequestContext, gatewayEnvironment, gatewayQueueUrl, startGateway } from '../../src/gateway';

const run = promisify(execFile);

describe('default-config SDK clients in a fresh process, given gatewayEnvironment()', () => {
  let gateway: Gateway;
  const calls: Array<[GatewayRequestContext, unknown]> = [];
  const record =
    <T>(output: T) =>
    async (ctx: GatewayRequestContext, input: unknown) => {
      calls.push([ctx, input]);
      return output;
    };

  beforeAll(async () => {
    gateway = await startGateway({
      sns: { publish: record({ MessageId: 'sns-1' }) },
      sqs: {
        sendMessage: record({ MessageId: 'unused' }),
        sendMessageBatch: record({ Successful: [{ Id: '0', MessageId: 'sqs-1' }], Failed: [] }),
      },
      events: { putEvents: record({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] }) },
      sfn: {
        startSyncExecution: record({
          executionArn: 'arn:run',
          status: 'SUCCEEDED' as const,
          startDate: new Date(),
          stopDate: new Date(),
        }),
      },
      secretsManager: { getSecretValue: record({ ARN: 'arn:secret', Name: 'redis', SecretString: 'token' }) },
    });
  });
  afterAll(() => gateway.close());

  test('names exactly the per-service endpoint variables the SDK reads, not the global AWS_ENDPOINT_URL', () => {
    // @smithy/core getEndpointUrlConfig: AWS_ENDPOINT_URL_ + the serviceId upper-cased, spaces to underscores.
    expect(
      Object.keys(gatewayEnvironment(gateway))
        .filter((name) => name.startsWith('AWS_ENDPOINT_URL'))
        .sort(),
    ).toEqual([
      'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
      'AWS_ENDPOINT_URL_EVENTBRIDGE',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
      'AWS_ENDPOINT_URL_SFN',
      'AWS_ENDPOINT_URL_SNS',
      'AWS_ENDPOINT_URL_SQS',
    ]);
  });

  test('SNS, SQS (queue URL on the gateway), EventBridge, Step Functions (sync- prefix) and Secrets Manager all arrive', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: '/nonexistent', // no ~/.aws profile may take part
      TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json'),
      ...gatewayEnvironment(gateway),
      AWS_REGION: 'ap-southeast-2',
      QUEUE_URL: gatewayQueueUrl(gateway, '123456789012', 'audit'),
    };
    const { stdout } = await run(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'fixtures', 'default-clients.ts')],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(stdout)).toEqual({
      sns: 'sns-1',
      sqs: ['sqs-1'],
      events: ['event-1'],
      sfn: 'SUCCEEDED',
      secretsManager: 'token',
    });
    expect(calls.map(([ctx]) => ctx)).toEqual([
      { region: 'ap-southeast-2', service: 'sns', operation: 'Publish', principalId: 'AIDALOCALCLOUDFUNCTIONS' },
      {
        region: 'ap-southeast-2',
        service: 'sqs',
        operation: 'SendMessageBatch',
        principalId: 'AIDALOCALCLOUDFUNCTIONS',
      },
      { region: 'ap-southeast-2', service: 'events', operation: 'PutEvents', principalId: 'AIDALOCALCLOUDFUNCTIONS' },
      {
        region: 'ap-southeast-2',
        service: 'states',
        operation: 'StartSyncExecution',
        principalId: 'AIDALOCALCLOUDFUNCTIONS',
      },
      {
        region: 'ap-southeast-2',
        service: 'secretsmanager',
        operation: 'GetSecretValue',
        principalId: 'AIDALOCALCLOUDFUNCTIONS',
      },
    ]);
  });
});
