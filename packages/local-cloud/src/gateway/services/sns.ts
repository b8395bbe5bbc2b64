import { AwsServiceError, MessageAttributeValue, SnsPublishInput } from '../backend';
import { SNS_ERRORS } from '../errors';
import { awsQueryProtocol } from '../protocols';
import { ServiceDefinition } from './service';

/** SNS: awsQuery, `Action=Publish&TopicArn=…&MessageAttributes.entry.1.Name=…&MessageAttributes.entry.1.Value.DataType=…`. */
export const snsService: ServiceDefinition = {
  signingName: 'sns',
  protocol: awsQueryProtocol({ xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/' }),
  errors: SNS_ERRORS,
  operations: {
    Publish: ({ sns }) =>
      sns &&
      (async (ctx, input) => {
        const { MessageId, SequenceNumber } = await sns.publish(ctx, decodePublish(input as URLSearchParams));
        return { MessageId, SequenceNumber };
      }),
  },
};

function decodePublish(form: URLSearchParams): SnsPublishInput {
  const TopicArn = form.get('TopicArn');
  if (!TopicArn) {
    // Publishing to TargetArn (mobile push) or PhoneNumber (SMS) is not part of any ffc stage.
    throw new AwsServiceError(
      'InvalidParameter',
      'Invalid parameter: TopicArn Reason: the local cloud publishes to topics only',
    );
  }
  const Message = form.get('Message');
  if (!Message) throw new AwsServiceError('InvalidParameter', 'Invalid parameter: Empty message');
  const MessageAttributes: Record<string, MessageAttributeValue> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const binary = form.get(`${prefix}.Value.BinaryValue`);
    MessageAttributes[form.get(`${prefix}.Name`)!] = {
      DataType: form.get(`${prefix}.Value.DataType`) ?? '',
      ...optional('StringValue', form.get(`${prefix}.Value.StringValue`)),
      ...(binary !== null && { BinaryValue: new Uint8Array(Buffer.from(binary, 'base64')) }),
    };
  }
  return {
    TopicArn,
    Message,
    ...optional('Subject', form.get('Subject')),
    ...optional('MessageStructure', form.get('MessageStructure')),
    ...(Object.keys(MessageAttributes).length > 0 && { MessageAttributes }),
    ...optional('MessageGroupId', form.get('MessageGroupId')),
    ...optional('MessageDeduplicationId', form.get('MessageDeduplicationId')),
  };
}

/** Leaves absent form members out, so the backend sees the request's own shape. */
function optional<K extends string>(member: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [member]: value } as Record<K, string>);
}
