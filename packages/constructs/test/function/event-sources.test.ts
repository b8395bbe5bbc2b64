import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { grantSendToEncryptedQueue, grantSqsEventSource } from '../../src';
import { ACCOUNT, REGION, roleStatements } from '../support/small-region';

function setup() {
  const stack = new Stack(new App(), 'Region', { env: { account: ACCOUNT, region: REGION } });
  const key = new kms.Key(stack, 'Key');
  const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  return { stack, key, queue, fn, statements: () => roleStatements(Template.fromStack(stack), 'FnServiceRole') };
}

const viaSqs = { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` };

describe('grantSqsEventSource', () => {
  test('the four calls the SQS poller makes (Lambda guide), and decrypt through SQS for those queues only', () => {
    const { queue, key, fn, statements } = setup();
    grantSqsEventSource(fn, [queue.queueArn], key);
    const [sqsStatement, kmsStatement] = statements();
    expect([sqsStatement.Action].flat().sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
    expect(kmsStatement.Action).toBe('kms:Decrypt');
    expect(kmsStatement.Condition.StringEquals).toEqual(viaSqs);
    expect(kmsStatement.Condition.ArnLike['kms:EncryptionContext:aws:sqs:arn']).toEqual([sqsStatement.Resource]);
  });
});

describe('grantSendToEncryptedQueue', () => {
  test('SendMessage on that queue and a data key bound to it, no kms:Encrypt or ReEncrypt', () => {
    const { queue, key, fn, statements } = setup();
    grantSendToEncryptedQueue(fn, queue, key);
    const [send, dataKey] = statements();
    expect(send.Action).toBe('sqs:SendMessage');
    expect([dataKey.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(dataKey.Condition.StringEquals).toEqual(viaSqs);
    expect(dataKey.Condition.ArnLike['kms:EncryptionContext:aws:sqs:arn']).toEqual([send.Resource]);
  });
});
