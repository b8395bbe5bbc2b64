import type { SQSEvent } from 'aws-lambda';
import { VerificationInput, createVerificationSchedulerHandler, parsePublishedEvent, verificationInput } from '../src';

const published = (flagKey: string, version: number) =>
  JSON.stringify({
    source: 'ffc.validator',
    'detail-type': 'flag-change-published',
    detail: {
      flagKey,
      version,
      kind: 'change',
      services: ['checkout-api'],
      region: 'eu-west-1',
      correlationId: `${flagKey}:${version}`,
    },
  });

function event(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) } as SQSEvent;
}

describe('verification scheduler', () => {
  test('one execution, one query, for a whole batch of published changes', async () => {
    const runs: VerificationInput[] = [];
    const handler = createVerificationSchedulerHandler(() => ({
      region: 'eu-west-1',
      stage: 'pr-7',
      runVerification: async (input) => (runs.push(input), { status: 'SUCCEEDED' }),
    }));
    const response = await handler(event(published('flag-one', 2), published('flag-two', 5)));
    expect(response.batchItemFailures).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0].changes.map((c) => c.flagKey)).toEqual(['flag-one', 'flag-two']);
    expect(runs[0].query.queryString).toContain('flagKey in ["flag-one", "flag-two"]');
    expect(runs[0].query.endTime).toBeGreaterThan(runs[0].query.startTime);
  });

  test('a malformed request fails alone; the others are verified', async () => {
    const runs: VerificationInput[] = [];
    const handler = createVerificationSchedulerHandler(() => ({
      region: 'eu-west-1',
      stage: 'pr-7',
      runVerification: async (input) => (runs.push(input), { status: 'SUCCEEDED' }),
    }));
    const response = await handler(event(published('flag-one', 2), '{"detail":{}}', 'not json'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]);
    expect(runs[0].changes).toHaveLength(1);
  });

  test('an execution that did not succeed decided nothing: every request is delivered again', async () => {
    const handler = createVerificationSchedulerHandler(() => ({
      region: 'eu-west-1',
      stage: 'pr-7',
      runVerification: async () => ({ status: 'FAILED', error: 'States.Timeout' }),
    }));
    const response = await handler(event(published('flag-one', 2), published('flag-two', 1)));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
  });

  test('events and inputs are checked', () => {
    expect(() => parsePublishedEvent('{"detail":{"flagKey":"x"}}')).toThrow(/flag-change-published detail: flagKey/);
    expect(verificationInput('eu-west-1', [], 1_000_000).query.startTime).toBe(1000 - 900);
  });
});
