import * as sqs from '@aws-sdk/client-sqs';
import { Gateway, GatewayBackend, startGateway } from '../../src/gateway';
import { LocalQueue } from '../../src/sqs';

const QUEUE_URL = 'http://127.0.0.1/123456789012/pr-7-flag-writer';
// ReceiveMessage (SQS API reference): SenderId is the IAM user id, or `<role id>:<role session name>`.
const OPERATOR = { accessKeyId: 'ASIAOPERATORJDOE', principalId: 'AROAOPERATORROLE1234:jdoe' };

/**
 * A queue behind the gateway whose SenderId comes from the request context, as SQS takes it from the signing
 * identity: nothing the sender puts in the message reaches it.
 */
function queueBackend(queue: LocalQueue): GatewayBackend {
  return {
    sqs: {
      sendMessage: async (ctx, input) => {
        const sent = queue.send({ body: input.MessageBody, senderId: ctx.principalId });
        return { MessageId: sent.messageId };
      },
      sendMessageBatch: async () => ({ Successful: [], Failed: [] }),
    },
  };
}

describe('SenderId follows the SigV4 credential', () => {
  let gateway: Gateway;
  const queue = new LocalQueue({
    name: 'pr-7-flag-writer',
    arn: 'arn:aws:sqs:eu-west-1:123456789012:pr-7-flag-writer',
    url: QUEUE_URL,
    region: 'eu-west-1',
    visibilityTimeoutSeconds: 30,
  });
  const client = (accessKeyId: string) =>
    new sqs.SQSClient({
      endpoint: gateway.url,
      region: 'eu-west-1',
      credentials: { accessKeyId, secretAccessKey: 'any' },
      maxAttempts: 1,
    });

  beforeAll(async () => {
    gateway = await startGateway(queueBackend(queue), { principals: { [OPERATOR.accessKeyId]: OPERATOR.principalId } });
  });
  afterAll(async () => {
    queue.close();
    await gateway.close();
  });

  test('a listed access key is its principal; a message naming another sender changes nothing', async () => {
    await client(OPERATOR.accessKeyId).send(
      new sqs.SendMessageCommand({
        QueueUrl: QUEUE_URL,
        MessageBody: JSON.stringify({ changedBy: 'someone-else' }),
        MessageAttributes: { SenderId: { DataType: 'String', StringValue: 'AROAFORGED:admin' } },
      }),
    );
    const [message] = queue.receive({ maxNumberOfMessages: 1 });
    expect(message.attributes.SenderId).toBe('AROAOPERATORROLE1234:jdoe');
    queue.delete(message.receiptHandle);
  });

  test('an unlisted key is a user of its own: the same key the same id, another key another', async () => {
    for (const key of ['AKIAFIRSTKEY', 'AKIAFIRSTKEY', 'AKIASECONDKEY']) {
      await client(key).send(new sqs.SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: key }));
    }
    const senders = queue.receive({ maxNumberOfMessages: 3 }).map((m) => m.attributes.SenderId);
    expect(senders).toHaveLength(3);
    expect(senders.every((id) => /^AIDA[0-9A-F]{16}$/.test(id))).toBe(true);
    expect(senders[0]).toBe(senders[1]);
    expect(senders[2]).not.toBe(senders[0]);
  });
});
