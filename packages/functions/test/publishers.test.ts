import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createSnsEventPublisher, createSqsAuditSink } from '../src';
import { validChange } from './support/fixtures';

/** Records the commands an AWS SDK client is sent and answers each with `reply`. */
function fakeClient(reply: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  return { sent, send: async (command: unknown) => (sent.push(command), reply(command)) };
}

describe('SNS + EventBridge publisher', () => {
  test('publishes the change with the services attribute the subscription filters match, then announces it', async () => {
    const sns = fakeClient();
    const events = fakeClient(() => ({ FailedEntryCount: 0 }));
    const publisher = createSnsEventPublisher({
      sns: sns as never,
      events: events as never,
      topicArn: 'arn:topic',
      eventBusName: 'pr-7-flag-events',
    });
    await publisher.publish({
      change: validChange(),
      region: 'eu-west-1',
      services: ['checkout-receipt'],
      correlationId: 'c-1',
    });
    const publish = (sns.sent[0] as PublishCommand).input;
    expect(publish.MessageAttributes?.targetServices).toEqual({
      DataType: 'String.Array',
      StringValue: '["checkout-receipt"]',
    });
    expect(JSON.parse(publish.Message!)).toMatchObject({
      flagKey: 'checkout-one-click',
      version: 1,
      correlationId: 'c-1',
    });
    const [entry] = (events.sent[0] as PutEventsCommand).input.Entries!;
    expect(entry).toMatchObject({
      Source: 'ffc.validator',
      DetailType: 'flag-change-published',
      EventBusName: 'pr-7-flag-events',
    });
    expect(JSON.parse(entry.Detail!)).toEqual({
      flagKey: 'checkout-one-click',
      version: 1,
      kind: 'change',
      services: ['checkout-receipt'],
      region: 'eu-west-1',
      correlationId: 'c-1',
    });
  });

  test('a change for every service is addressed to `*`, which every filter accepts', async () => {
    const sns = fakeClient();
    const publisher = createSnsEventPublisher({
      sns: sns as never,
      events: fakeClient(() => ({})) as never,
      topicArn: 't',
      eventBusName: 'b',
    });
    await publisher.publish({
      change: validChange({ services: ['*'] }),
      region: 'eu-west-1',
      services: ['a-svc', 'b-svc'],
      correlationId: 'c',
    });
    expect((sns.sent[0] as PublishCommand).input.MessageAttributes?.targetServices.StringValue).toBe('["*"]');
  });

  test('an event EventBridge refused is an error (the stream record is retried), not a silent loss', async () => {
    const events = fakeClient(() => ({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
    }));
    const publisher = createSnsEventPublisher({
      sns: fakeClient() as never,
      events: events as never,
      topicArn: 't',
      eventBusName: 'b',
    });
    await expect(
      publisher.publish({ change: validChange(), region: 'eu-west-1', services: ['x-svc'], correlationId: 'c' }),
    ).rejects.toThrow(/ThrottlingException/);
  });
});

describe('SQS audit sink', () => {
  const event = (version: number) => ({
    type: 'change.verified' as const,
    details: { verifiedServices: 3 },
    stage: 'pr-7',
    region: 'eu-west-1',
    flagKey: 'checkout-one-click',
    version,
    actor: 'pr-7-consistency-checker',
    occurredAt: new Date().toISOString(),
    correlationId: 'c-1',
  });

  test('validates, then sends in batches of ten', async () => {
    const sqs = fakeClient(() => ({ Failed: [] }));
    await createSqsAuditSink(sqs as never, 'https://queue', 'pr-7').record(
      Array.from({ length: 23 }, (_, i) => event(i + 1)),
    );
    expect(sqs.sent.map((c) => (c as SendMessageBatchCommand).input.Entries!.length)).toEqual([10, 10, 3]);
  });

  test('an invalid event fails its producer before anything is sent', async () => {
    const sqs = fakeClient();
    await expect(
      createSqsAuditSink(sqs as never, 'https://queue', 'pr-7').record([{ ...event(1), stage: 'other' }]),
    ).rejects.toThrow();
    expect(sqs.sent).toHaveLength(0);
  });

  test('messages SQS refused are an error, not a loss', async () => {
    const sqs = fakeClient(() => ({ Failed: [{ Id: '0', Code: 'KMS.Throttled', Message: 'later' }] }));
    await expect(createSqsAuditSink(sqs as never, 'https://queue', 'pr-7').record([event(1)])).rejects.toThrow(
      /KMS.Throttled/,
    );
  });
});
