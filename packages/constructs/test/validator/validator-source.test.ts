import { changePolicyFromEnv } from '@ffc/functions';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ChangePolicySpec, InvalidPropError, ValidatorSource } from '../../src';
import { ACCOUNT, REGION, actionsOf, roleStatements } from '../support/small-region';

function synth(retryAttempts?: number, changePolicy?: ChangePolicySpec): Template {
  const stack = new Stack(new App(), 'Region', { env: { account: ACCOUNT, region: REGION } });
  const flagTable = new dynamodb.Table(stack, 'Flags', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const validator = new lambda.Function(stack, 'Validator', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  new ValidatorSource(stack, 'Source', {
    stage: 'pr-7',
    flagTable,
    validator,
    encryptionKey: new kms.Key(stack, 'Key'),
    retryAttempts,
    changePolicy,
  });
  return Template.fromStack(stack);
}

describe('ValidatorSource: the stream triggers the validator', () => {
  const template = synth();
  const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);

  test('for inserts and modifications of current flag documents only (the stream also carries history items)', () => {
    expect(mapping.FilterCriteria.Filters).toEqual([
      { Pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['CURRENT'] } } } }) },
    ]);
  });

  test('in stream order, with a poison record isolated: one batch per shard, bisect on error, partial batch responses', () => {
    expect(mapping).toMatchObject({
      StartingPosition: 'LATEST',
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
    });
    const [tuned] = Object.values(synth(1).findResources('AWS::Lambda::EventSourceMapping'));
    expect(tuned.Properties.MaximumRetryAttempts).toBe(1);
  });

  test('records that still fail go to the encrypted failure queue, which the validator may only send to', () => {
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(mapping.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'pr-7-validator-failures',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
    });
    const sends = roleStatements(template, 'ValidatorServiceRole').filter((s) =>
      actionsOf(s).includes('sqs:SendMessage'),
    );
    expect(sends).toHaveLength(1);
    expect(actionsOf(sends[0])).toEqual(['sqs:SendMessage']);
    expect(sends[0].Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
  });
});

describe('ValidatorSource: the stage’s change policy reaches the validator', () => {
  const policy: ChangePolicySpec = {
    timeZone: 'Europe/Berlin',
    changeWindows: [{ days: ['fri'], start: '22:00', end: '02:00' }],
    freezes: [{ from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z', reason: 'Black Friday' }],
  };
  const environmentOf = (template: Template) =>
    Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment?.Variables ?? {};

  test('in the environment, as the validator handler reads it back (one contract, both ends)', () => {
    const environment = environmentOf(synth(undefined, policy));
    expect(changePolicyFromEnv(environment)).toEqual(policy);
  });

  test('none given: no variable, and the handler applies no window or freeze', () => {
    const environment = environmentOf(synth());
    expect(environment.CHANGE_POLICY).toBeUndefined();
    expect(changePolicyFromEnv(environment)).toBeUndefined();
  });

  test('an imported validator, whose environment cannot be set, is refused with a typed error', () => {
    const stack = new Stack(new App(), 'Region', { env: { account: ACCOUNT, region: REGION } });
    const make = () =>
      new ValidatorSource(stack, 'Source', {
        stage: 'pr-7',
        flagTable: dynamodb.Table.fromTableAttributes(stack, 'Flags', {
          tableName: 'flags',
          tableStreamArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/flags/stream/2026`,
        }),
        validator: lambda.Function.fromFunctionName(stack, 'Validator', 'pr-7-validator'),
        encryptionKey: new kms.Key(stack, 'Key'),
        changePolicy: policy,
      });
    let error: unknown;
    try {
      make();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidPropError);
    expect((error as Error).message).toMatch(/validator must be a lambda.Function when a changePolicy is given/);
  });
});
