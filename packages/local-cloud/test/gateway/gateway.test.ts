import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import { AwsServiceError, Gateway, GatewayBackend, resolveHostPrefixes, startGateway } from '../../src/gateway';

const REGION = 'eu-west-1';
const QUEUE_URL = 'http://127.0.0.1/123456789012/audit';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:fan-out';
/** An access key the gateway has no principal for is an IAM user of its own: a user id, `AIDA…`. */
const ANY_KEY_PRINCIPAL = expect.stringMatching(/^AIDA[0-9A-F]{16}$/);

/** Explicit endpoint, one attempt: an error the gateway sends must be the error the caller sees. */
function clientConfig(gateway: Gateway) {
  return {
    endpoint: gateway.url,
    region: REGION,
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    maxAttempts: 1,
  };
}

/** Rejects with the error a client threw (as the handler would see it), or fails if it did not. */
async function thrown(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('gateway', () => {
  let gateway: Gateway;
  const backend = {
    sns: { publish: jest.fn() },
    sqs: {
      sendMessage: jest.fn(),
      sendMessageBatch: jest.fn(),
      receiveMessage: jest.fn(),
      deleteMessage: jest.fn(),
      getQueueUrl: jest.fn(),
      getQueueAttributes: jest.fn(),
    },
    events: { putEvents: jest.fn() },
    sfn: { startSyncExecution: jest.fn() },
    secretsManager: { getSecretValue: jest.fn() },
    logs: { startQuery: jest.fn(), getQueryResults: jest.fn() },
  } satisfies GatewayBackend;
  let snsClient: sns.SNSClient;
  let sqsClient: sqs.SQSClient;

  beforeAll(async () => {
    gateway = await startGateway(backend);
    snsClient = new sns.SNSClient(clientConfig(gateway));
    sqsClient = new sqs.SQSClient(clientConfig(gateway));
  });
  afterAll(() => gateway.close());

  test('binds 127.0.0.1 on an ephemeral port and refuses other addresses', async () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.port).toBeGreaterThan(0);
    await expect(startGateway({}, { host: '0.0.0.0' })).rejects.toThrow(/not a loopback address/);
  });

  describe('SNS (awsQuery)', () => {
    test('Publish decodes topic, message and attributes (binary as bytes) and returns the MessageId', async () => {
      backend.sns.publish.mockResolvedValue({ MessageId: 'm-1' });
      const output = await snsClient.send(
        new sns.PublishCommand({
          TopicArn: TOPIC_ARN,
          Message: '{"flagKey":"a & <b>"}',
          Subject: 'change',
          MessageAttributes: {
            targetServices: { DataType: 'String.Array', StringValue: '["checkout","search"]' },
            raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(0, 1, 255) },
          },
        }),
      );
      expect(output.MessageId).toBe('m-1');
      expect(backend.sns.publish).toHaveBeenCalledWith(
        { region: REGION, service: 'sns', operation: 'Publish', principalId: ANY_KEY_PRINCIPAL },
        {
          TopicArn: TOPIC_ARN,
          Message: '{"flagKey":"a & <b>"}',
          Subject: 'change',
          MessageAttributes: {
            targetServices: { DataType: 'String.Array', StringValue: '["checkout","search"]' },
            raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(0, 1, 255) },
          },
        },
      );
    });

    test('a backend NotFound reaches the caller as NotFoundException with status 404, as AWS sends it', async () => {
      backend.sns.publish.mockRejectedValue(new AwsServiceError('NotFound', 'Topic does not exist'));
      const error = await thrown(snsClient.send(new sns.PublishCommand({ TopicArn: TOPIC_ARN, Message: 'x' })));
      expect(error).toBeInstanceOf(sns.NotFoundException);
      expect(error.message).toBe('Topic does not exist');
      expect(error.$metadata?.httpStatusCode).toBe(404);
    });

    test('every SNS exception the SDK models round-trips by name', async () => {
      const names = exceptionNames(sns, sns.SNSServiceException);
      expect(names.length).toBeGreaterThan(30);
      for (const name of names) {
        backend.sns.publish.mockRejectedValue(new AwsServiceError(name, `planted ${name}`));
        const error = await thrown(snsClient.send(new sns.PublishCommand({ TopicArn: TOPIC_ARN, Message: 'x' })));
        expect({ name: error.name, message: error.message }).toEqual({ name, message: `planted ${name}` });
      }
    });

    test('an operation the local cloud does not emulate is named in the error', async () => {
      const error = await thrown(snsClient.send(new sns.CreateTopicCommand({ Name: 'new-topic' })));
      expect(error.name).toBe('InvalidAction');
      expect(error.message).toBe('not emulated by the local cloud: sns:CreateTopic');
      expect(error.$metadata?.httpStatusCode).toBe(400);
    });

    test('a missing TopicArn is refused before the backend sees it', async () => {
      backend.sns.publish.mockClear();
      const error = await thrown(snsClient.send(new sns.PublishCommand({ TargetArn: 'arn:endpoint', Message: 'x' })));
      expect(error).toBeInstanceOf(sns.InvalidParameterException);
      expect(backend.sns.publish).not.toHaveBeenCalled();
    });
  });

  describe('SQS (awsJson1_0, query-compatible errors)', () => {
    const attributes = {
      test_attribute_name_2: { DataType: 'String', StringValue: 'test_attribute_value_2' },
      test_attribute_name_1: { DataType: 'String', StringValue: 'test_attribute_value_1' },
    };

    test('SendMessage passes the SDK body check and returns the documented attribute digest', async () => {
      backend.sqs.sendMessage.mockResolvedValue({ MessageId: 'q-1' });
      const output = await sqsClient.send(
        new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'héllo wörld', MessageAttributes: attributes }),
      );
      // Resolving at all means the SDK's own MD5OfMessageBody check passed (it throws InvalidChecksumError).
      expect(output.MessageId).toBe('q-1');
      // The ydb-platform/ydb "AmazonSampleWithString" vector (see sqs-md5.test.ts).
      expect(output.MD5OfMessageAttributes).toBe('d53f3b558fe951154770f25cb63dbba9');
      expect(backend.sqs.sendMessage).toHaveBeenCalledWith(
        { region: REGION, service: 'sqs', operation: 'SendMessage', principalId: ANY_KEY_PRINCIPAL },
        expect.objectContaining({ QueueUrl: QUEUE_URL, MessageBody: 'héllo wörld', MessageAttributes: attributes }),
      );
    });

    test('SendMessage body digest is the MD5 of the UTF-8 body (RFC 1321 test suite: "abc")', async () => {
      backend.sqs.sendMessage.mockResolvedValue({ MessageId: 'q-2' });
      const output = await sqsClient.send(new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'abc' }));
      expect(output.MD5OfMessageBody).toBe('900150983cd24fb0d6963f7d28e17f72');
      expect(output.MD5OfMessageAttributes).toBeUndefined();
    });

    test('SendMessageBatch: digests per successful entry, failures passed through', async () => {
      backend.sqs.sendMessageBatch.mockResolvedValue({
        Successful: [{ Id: 'a', MessageId: 'q-a' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad characters' }],
      });
      const output = await sqsClient.send(
        new sqs.SendMessageBatchCommand({
          QueueUrl: QUEUE_URL,
          Entries: [
            { Id: 'a', MessageBody: 'abc', MessageAttributes: attributes },
            { Id: 'b', MessageBody: '\u0000' },
          ],
        }),
      );
      expect(output.Successful).toEqual([
        {
          Id: 'a',
          MessageId: 'q-a',
          MD5OfMessageBody: '900150983cd24fb0d6963f7d28e17f72',
          MD5OfMessageAttributes: 'd53f3b558fe951154770f25cb63dbba9',
        },
      ]);
      expect(output.Failed).toEqual([
        { Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad characters' },
      ]);
    });

    test('SendMessageBatch refuses what the API reference refuses: empty, over 10, repeated ids', async () => {
      const batch = (Entries: sqs.SendMessageBatchRequestEntry[]) =>
        thrown(sqsClient.send(new sqs.SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries })));
      expect(await batch([])).toBeInstanceOf(sqs.EmptyBatchRequest);
      const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
      expect(await batch(eleven)).toBeInstanceOf(sqs.TooManyEntriesInBatchRequest);
      expect(
        await batch([
          { Id: 'same', MessageBody: 'x' },
          { Id: 'same', MessageBody: 'y' },
        ]),
      ).toBeInstanceOf(sqs.BatchEntryIdsNotDistinct);
      expect(await batch([{ Id: 'has space', MessageBody: 'x' }])).toBeInstanceOf(sqs.InvalidBatchEntryId);
    });

    test('a missing queue reaches the caller as QueueDoesNotExist, with the legacy query code', async () => {
      backend.sqs.sendMessage.mockRejectedValue(
        new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.'),
      );
      const error = (await thrown(
        sqsClient.send(new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' })),
      )) as Error & {
        Code?: string;
      };
      expect(error).toBeInstanceOf(sqs.QueueDoesNotExist);
      expect(error.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
      expect(error.message).toBe('The specified queue does not exist.');
    });

    test('every SQS exception the SDK models round-trips, thrown by SDK name or by legacy query code', async () => {
      const names = exceptionNames(sqs, sqs.SQSServiceException);
      expect(names.length).toBeGreaterThan(25);
      for (const name of names) {
        backend.sqs.sendMessage.mockRejectedValue(new AwsServiceError(name, 'planted'));
        const error = await thrown(
          sqsClient.send(new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' })),
        );
        expect(error.name).toBe(name);
      }
      backend.sqs.sendMessage.mockRejectedValue(new AwsServiceError('AWS.SimpleQueueService.NonExistentQueue', 'gone'));
      const byCode = await thrown(
        sqsClient.send(new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' })),
      );
      expect(byCode).toBeInstanceOf(sqs.QueueDoesNotExist);
    });

    test('ReceiveMessage and DeleteMessage: bodies pass the SDK digest check, binary attributes as bytes', async () => {
      backend.sqs.receiveMessage.mockResolvedValue({
        Messages: [
          {
            MessageId: 'q-1',
            ReceiptHandle: 'rh-1',
            Body: 'abc',
            MessageAttributes: {
              test_attribute_name: { DataType: 'Binary', BinaryValue: Buffer.from('test_attribute_value') },
            },
          },
        ],
      });
      backend.sqs.deleteMessage.mockResolvedValue(undefined);
      const { Messages } = await sqsClient.send(
        new sqs.ReceiveMessageCommand({ QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
      );
      expect(Messages).toEqual([
        {
          MessageId: 'q-1',
          ReceiptHandle: 'rh-1',
          Body: 'abc',
          MD5OfBody: '900150983cd24fb0d6963f7d28e17f72',
          // The ydb "AmazonSampleWithBinary" vector.
          MD5OfMessageAttributes: '23f6bd27ea87aab7dfeadcc9aebee495',
          MessageAttributes: {
            test_attribute_name: {
              DataType: 'Binary',
              BinaryValue: new Uint8Array(Buffer.from('test_attribute_value')),
            },
          },
        },
      ]);
      expect(backend.sqs.receiveMessage).toHaveBeenCalledWith(
        expect.objectContaining({ operation: 'ReceiveMessage' }),
        expect.objectContaining({ QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
      );
      await sqsClient.send(new sqs.DeleteMessageCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-1' }));
      expect(backend.sqs.deleteMessage).toHaveBeenCalledWith(expect.objectContaining({ operation: 'DeleteMessage' }), {
        QueueUrl: QUEUE_URL,
        ReceiptHandle: 'rh-1',
      });
    });

    test('GetQueueUrl and GetQueueAttributes', async () => {
      backend.sqs.getQueueUrl.mockResolvedValue({ QueueUrl: QUEUE_URL });
      backend.sqs.getQueueAttributes.mockResolvedValue({ Attributes: { ApproximateNumberOfMessages: '3' } });
      expect((await sqsClient.send(new sqs.GetQueueUrlCommand({ QueueName: 'audit' }))).QueueUrl).toBe(QUEUE_URL);
      const { Attributes } = await sqsClient.send(
        new sqs.GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      expect(Attributes).toEqual({ ApproximateNumberOfMessages: '3' });
      expect(backend.sqs.getQueueAttributes).toHaveBeenCalledWith(
        expect.objectContaining({ operation: 'GetQueueAttributes' }),
        {
          QueueUrl: QUEUE_URL,
          AttributeNames: ['ApproximateNumberOfMessages'],
        },
      );
    });

    test('a plain Error from the backend (a bug) is InternalFailure, 500, carrying its message', async () => {
      backend.sqs.sendMessage.mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'send')"));
      const error = await thrown(sqsClient.send(new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' })));
      expect(error.name).toBe('InternalFailure');
      expect(error.message).toBe(
        "local cloud backend failed in sqs:SendMessage: Cannot read properties of undefined (reading 'send')",
      );
      expect(error.$metadata?.httpStatusCode).toBe(500);
    });

    test('a request without a required member is refused before the backend sees it', async () => {
      backend.sqs.sendMessage.mockClear();
      const error = await thrown(
        sqsClient.send(
          new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: undefined as unknown as string }),
        ),
      );
      expect(error.name).toBe('MissingParameter');
      expect(error.message).toMatch(/'MessageBody'/);
      expect(backend.sqs.sendMessage).not.toHaveBeenCalled();
    });

    test('an SQS operation outside the emulated set is named in the error', async () => {
      const error = await thrown(sqsClient.send(new sqs.PurgeQueueCommand({ QueueUrl: QUEUE_URL })));
      expect(error.name).toBe('UnknownOperationException');
      expect(error.message).toBe('not emulated by the local cloud: sqs:PurgeQueue');
    });
  });

  describe('EventBridge (awsJson1_1)', () => {
    test('PutEvents decodes Time and returns per-entry failures', async () => {
      backend.events.putEvents.mockResolvedValue({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'e-1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'bus busy' }],
      });
      const client = new EventBridgeClient(clientConfig(gateway));
      const output = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'ffc',
              Source: 'ffc.validator',
              DetailType: 'flag-change-published',
              Detail: '{"v":1}',
              Time: new Date('2026-01-02T03:04:05.678Z'),
            },
            { EventBusName: 'ffc', Source: 'ffc.validator', DetailType: 'flag-change-published', Detail: '{"v":2}' },
          ],
        }),
      );
      expect(output.FailedEntryCount).toBe(1);
      expect(output.Entries).toEqual([{ EventId: 'e-1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'bus busy' }]);
      const [ctx, input] = backend.events.putEvents.mock.calls[0];
      expect(ctx).toEqual({
        region: REGION,
        service: 'events',
        operation: 'PutEvents',
        principalId: ANY_KEY_PRINCIPAL,
      });
      expect(input.Entries[0]).toEqual({
        EventBusName: 'ffc',
        Source: 'ffc.validator',
        DetailType: 'flag-change-published',
        Detail: '{"v":1}',
        Time: new Date('2026-01-02T03:04:05.678Z'),
      });
      expect(input.Entries[1].Time).toBeUndefined();
    });

    test('PutEvents takes 1 to 10 entries (API reference)', async () => {
      const client = new EventBridgeClient(clientConfig(gateway));
      const eleven = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
      expect((await thrown(client.send(new PutEventsCommand({ Entries: eleven })))).name).toBe('ValidationException');
    });
  });

  describe('Step Functions (awsJson1_0)', () => {
    test('StartSyncExecution reaches the gateway at sync-127.0.0.1 once resolveHostPrefixes ran', async () => {
      const client = new SFNClient(clientConfig(gateway));
      backend.sfn.startSyncExecution.mockResolvedValue({
        executionArn: 'arn:aws:states:eu-west-1:123456789012:express:verify:run-1:1',
        status: 'SUCCEEDED',
        output: '{"consistent":true}',
        startDate: new Date('2026-01-02T03:04:05.250Z'),
        stopDate: new Date('2026-01-02T03:04:20.750Z'),
      });
      const command = () =>
        new StartSyncExecutionCommand({
          stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:verify',
          input: '{}',
        });
      // Without the alias the SDK's host prefix makes a name no resolver knows.
      expect((await thrown(client.send(command()))).message).toMatch(/getaddrinfo ENOTFOUND sync-127\.0\.0\.1/);

      const removeAlias = resolveHostPrefixes(gateway.host);
      try {
        const output = await client.send(command());
        expect(output).toMatchObject({
          status: 'SUCCEEDED',
          output: '{"consistent":true}',
          startDate: new Date('2026-01-02T03:04:05.250Z'),
          stopDate: new Date('2026-01-02T03:04:20.750Z'),
        });
        expect(backend.sfn.startSyncExecution).toHaveBeenCalledWith(
          { region: REGION, service: 'states', operation: 'StartSyncExecution', principalId: ANY_KEY_PRINCIPAL },
          { stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:verify', input: '{}' },
        );
        backend.sfn.startSyncExecution.mockRejectedValue(
          new AwsServiceError('StateMachineDoesNotExist', 'State Machine Does Not Exist'),
        );
        const error = await thrown(client.send(command()));
        expect(error.name).toBe('StateMachineDoesNotExist');
      } finally {
        removeAlias();
      }
    });
    test('a gateway on localhost takes the prefix too (sync-localhost)', async () => {
      const onLocalhost = await startGateway(backend, { host: 'localhost' });
      const removeAlias = resolveHostPrefixes('localhost');
      try {
        expect(onLocalhost.url).toBe(`http://localhost:${onLocalhost.port}`);
        backend.sfn.startSyncExecution.mockResolvedValue({
          executionArn: 'arn:run',
          status: 'FAILED',
          error: 'States.TaskFailed',
          cause: 'checker threw',
          startDate: new Date(0),
          stopDate: new Date(1000),
        });
        const output = await new SFNClient(clientConfig(onLocalhost)).send(
          new StartSyncExecutionCommand({ stateMachineArn: 'arn:sm' }),
        );
        expect(output).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: 'checker threw' });
      } finally {
        removeAlias();
        await onLocalhost.close();
      }
    });
  });

  describe('Secrets Manager (awsJson1_1)', () => {
    test('GetSecretValue, and ResourceNotFoundException as AWS names it', async () => {
      const client = new SecretsManagerClient(clientConfig(gateway));
      backend.secretsManager.getSecretValue.mockResolvedValue({
        ARN: 'arn:secret:redis-abc',
        Name: 'redis',
        SecretString: 's3cret',
        VersionId: 'v1',
      });
      const output = await client.send(new GetSecretValueCommand({ SecretId: 'arn:secret:redis-abc' }));
      expect(output).toMatchObject({
        ARN: 'arn:secret:redis-abc',
        Name: 'redis',
        SecretString: 's3cret',
        VersionId: 'v1',
      });
      backend.secretsManager.getSecretValue.mockRejectedValue(
        new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
      );
      const error = await thrown(client.send(new GetSecretValueCommand({ SecretId: 'missing' })));
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
    });
  });

  describe('CloudWatch Logs (awsJson1_1, no SDK client in this package: raw requests)', () => {
    const call = (target: string, body: unknown, authorization = signed('logs')) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization },
        body: JSON.stringify(body),
      });

    test('StartQuery and GetQueryResults', async () => {
      backend.logs.startQuery.mockResolvedValue({ queryId: 'query-1' });
      backend.logs.getQueryResults.mockResolvedValue({
        status: 'Complete',
        results: [[{ field: 'service', value: 'checkout' }]],
      });
      const started = await call('Logs_20140328.StartQuery', {
        logGroupNames: ['/ffc/cache-updater'],
        startTime: 1,
        endTime: 2,
        queryString: 'fields @message',
      });
      expect(await started.json()).toEqual({ queryId: 'query-1' });
      const results = await call('Logs_20140328.GetQueryResults', { queryId: 'query-1' });
      expect(await results.json()).toEqual({
        status: 'Complete',
        results: [[{ field: 'service', value: 'checkout' }]],
      });
      expect(backend.logs.getQueryResults).toHaveBeenCalledWith(
        { region: REGION, service: 'logs', operation: 'GetQueryResults', principalId: ANY_KEY_PRINCIPAL },
        { queryId: 'query-1' },
      );
    });

    test('a body that is not JSON is a SerializationException', async () => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Logs_20140328.StartQuery',
          authorization: signed('logs'),
        },
        body: '{"queryString":',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
    });

    test('an unsigned request is refused with what to do', async () => {
      const response = await call('Logs_20140328.StartQuery', {}, '');
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        __type: 'MissingAuthenticationToken',
        message: expect.stringContaining('sign the request (any credentials work)'),
      });
    });

    test('an unknown service is named with its operation', async () => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.PutRecord',
          authorization: signed('kinesis'),
        },
        body: '{}',
      });
      expect(await response.json()).toEqual({
        __type: 'UnknownOperationException',
        message: 'not emulated by the local cloud: kinesis:PutRecord',
      });
    });
  });

  test('a backend without a service answers "not emulated" for it', async () => {
    const bare = await startGateway({});
    try {
      const error = await thrown(
        new SecretsManagerClient(clientConfig(bare)).send(new GetSecretValueCommand({ SecretId: 'x' })),
      );
      expect(error.name).toBe('UnknownOperationException');
      expect(error.message).toBe('not emulated by the local cloud: secretsmanager:GetSecretValue');
    } finally {
      await bare.close();
    }
  });
});

function signed(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKID/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/** The exception classes a client package exports (every modelled error of the service). */
function exceptionNames(module: Record<string, unknown>, base: abstract new (...args: never[]) => Error): string[] {
  return Object.entries(module)
    .filter(([, value]) => typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof base)
    .map(([name]) => name);
}
