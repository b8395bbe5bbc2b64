import { AwsServiceError, SqsMessageAttributeValue, SqsSendMessageInput } from '../backend';
import { SQS_ERRORS } from '../errors';
import { awsJsonProtocol } from '../protocols';
import { md5Hex, md5OfMessageAttributes } from '../sqs-md5';
import { jsonObject, requiredString, ServiceDefinition } from './service';

/** SQS's batch limits, from the SendMessageBatch API reference. */
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * SQS: awsJson1_0 with `X-Amz-Target: AmazonSQS.<Op>`. The SDK checks MD5OfMessageBody (and MD5OfBody on
 * receive) against what it sent, so the gateway computes every digest itself rather than trusting a backend.
 */
export const sqsService: ServiceDefinition = {
  signingName: 'sqs',
  protocol: awsJsonProtocol({ version: '1.0', targetPrefix: 'AmazonSQS', queryCompatible: true }),
  errors: SQS_ERRORS,
  operations: {
    SendMessage: ({ sqs }) =>
      sqs &&
      (async (ctx, input) => {
        const request = { QueueUrl: queueUrl(input), ...decodeMessage(jsonObject(input)) };
        const { MessageId, SequenceNumber } = await sqs.sendMessage(ctx, request);
        return { MessageId, ...digests(request), SequenceNumber };
      }),
    SendMessageBatch: ({ sqs }) =>
      sqs &&
      (async (ctx, input) => {
        const QueueUrl = queueUrl(input);
        const Entries = decodeBatchEntries(jsonObject(input).Entries);
        const { Successful, Failed } = await sqs.sendMessageBatch(ctx, { QueueUrl, Entries });
        const sent = new Map(Entries.map((entry) => [entry.Id, entry]));
        return {
          Successful: Successful.map(({ Id, MessageId, SequenceNumber }) => {
            const entry = sent.get(Id);
            if (!entry) {
              throw new Error(`sendMessageBatch answered for entry '${Id}', which the request does not contain`);
            }
            return { Id, MessageId, ...digests(entry), SequenceNumber };
          }),
          Failed,
        };
      }),
    ReceiveMessage: ({ sqs }) =>
      sqs?.receiveMessage &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        const { Messages } = await sqs.receiveMessage!(ctx, { ...request, QueueUrl: queueUrl(request) });
        return {
          Messages: Messages?.map((message) => ({
            ...message,
            MD5OfBody: md5Hex(message.Body),
            MD5OfMessageAttributes: md5OfMessageAttributes(message.MessageAttributes),
          })),
        };
      }),
    DeleteMessage: ({ sqs }) =>
      sqs?.deleteMessage &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        await sqs.deleteMessage!(ctx, {
          QueueUrl: queueUrl(request),
          ReceiptHandle: requiredString(request, 'ReceiptHandle', 'MissingParameter'),
        });
        return {};
      }),
    GetQueueUrl: ({ sqs }) =>
      sqs?.getQueueUrl &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        const { QueueUrl } = await sqs.getQueueUrl!(ctx, {
          ...request,
          QueueName: requiredString(request, 'QueueName', 'MissingParameter'),
        });
        return { QueueUrl };
      }),
    GetQueueAttributes: ({ sqs }) =>
      sqs?.getQueueAttributes &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        const { Attributes } = await sqs.getQueueAttributes!(ctx, { ...request, QueueUrl: queueUrl(request) });
        return { Attributes };
      }),
  },
};

function queueUrl(input: unknown): string {
  return requiredString(jsonObject(input), 'QueueUrl', 'MissingParameter');
}

function digests(message: Omit<SqsSendMessageInput, 'QueueUrl'>) {
  return {
    MD5OfMessageBody: md5Hex(message.MessageBody),
    MD5OfMessageAttributes: md5OfMessageAttributes(message.MessageAttributes),
    MD5OfMessageSystemAttributes: md5OfMessageAttributes(message.MessageSystemAttributes),
  };
}

function decodeMessage(request: Record<string, unknown>): Omit<SqsSendMessageInput, 'QueueUrl'> {
  return {
    ...request,
    MessageBody: requiredString(request, 'MessageBody', 'MissingParameter'),
    MessageAttributes: decodeAttributes(request.MessageAttributes),
    MessageSystemAttributes: decodeAttributes(request.MessageSystemAttributes),
  };
}

function decodeBatchEntries(entries: unknown) {
  const list = Array.isArray(entries) ? entries.map(jsonObject) : [];
  if (list.length === 0) {
    throw new AwsServiceError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
    );
  }
  if (list.length > MAX_BATCH_ENTRIES) {
    throw new AwsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${list.length}.`,
    );
  }
  const ids = new Set<string>();
  return list.map((entry) => {
    const Id = requiredString(entry, 'Id', 'MissingParameter');
    if (!BATCH_ENTRY_ID.test(Id)) {
      throw new AwsServiceError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (ids.has(Id)) throw new AwsServiceError('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`);
    ids.add(Id);
    return { ...decodeMessage(entry), Id };
  });
}

/** Blobs travel base64-encoded in AWS JSON; the backend sees bytes. */
function decodeAttributes(attributes: unknown): Record<string, SqsMessageAttributeValue> | undefined {
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const bytes = (value: unknown) => new Uint8Array(Buffer.from(String(value), 'base64'));
  return Object.fromEntries(
    Object.entries(attributes as Record<string, Record<string, unknown>>).map(([name, value]) => [
      name,
      {
        ...(value as unknown as SqsMessageAttributeValue),
        ...(value.BinaryValue !== undefined && { BinaryValue: bytes(value.BinaryValue) }),
        ...(Array.isArray(value.BinaryListValues) && { BinaryListValues: value.BinaryListValues.map(bytes) }),
      },
    ]),
  );
}
