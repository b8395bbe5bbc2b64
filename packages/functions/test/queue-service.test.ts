import { serviceFromQueueArn } from '../src';

describe('serviceFromQueueArn', () => {
  test('strips the fan-out prefix from the queue name', () => {
    expect(serviceFromQueueArn('arn:aws:sqs:eu-west-1:123456789012:pr-7-fanout-checkout-api', 'pr-7-fanout-')).toBe(
      'checkout-api',
    );
  });
  test.each([
    ['arn:aws:sqs:eu-west-1:123456789012:pr-7-audit', 'pr-7-fanout-'],
    ['arn:aws:sqs:eu-west-1:123456789012:pr-7-fanout-', 'pr-7-fanout-'],
    ['pr-7-fanout-checkout-api', 'pr-7-fanout-'],
  ])('rejects %s', (arn, prefix) => {
    expect(() => serviceFromQueueArn(arn, prefix)).toThrow(/is not a fan-out queue/);
  });
});
