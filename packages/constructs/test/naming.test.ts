import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applyStandardTags, resourceName } from '../src';

describe('resourceName', () => {
  test('joins stage and purpose', () => {
    expect(resourceName('pr-7', 'flags')).toBe('pr-7-flags');
  });
  test.each(['Prod', '1abc', 'a', 'x'.repeat(21)])('rejects stage %j', (stage) => {
    expect(() => resourceName(stage, 'flags')).toThrow(/stage name/);
  });
  test('rejects a purpose that is not kebab-case', () => {
    expect(() => resourceName('pr-7', 'Fan Out')).toThrow(/kebab-case/);
  });
});

describe('applyStandardTags', () => {
  test('tags every taggable resource with cost centre, owner and environment', () => {
    const stack = new Stack(new App(), 'Tagged');
    new sqs.Queue(stack, 'Queue');
    applyStandardTags(stack, { costCentre: 'cc-1234', owner: 'platform', environment: 'pr-7' });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      Tags: [
        { Key: 'ffc:cost-centre', Value: 'cc-1234' },
        { Key: 'ffc:environment', Value: 'pr-7' },
        { Key: 'ffc:owner', Value: 'platform' },
      ],
    });
  });
  test('an empty tag value is an error', () => {
    expect(() => applyStandardTags(new Stack(), { costCentre: '', owner: 'platform', environment: 'pr-7' })).toThrow(
      /ffc:cost-centre/,
    );
  });
});
