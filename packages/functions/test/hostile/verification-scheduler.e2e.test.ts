import type { SQSEvent } from 'aws-lambda';
import { VerificationInput, createConsistencyCheckerHandler, createVerificationSchedulerHandler } from '../../src';
import { REGION, useLocalFlagTable } from '../support/fixtures';
import { hostileStage, useAuditTrail } from './support/audit-trail';

const stage = hostileStage();
const SERVICES = ['checkout-api', 'checkout-receipt'];

/** The EventBridge event the validator publishes, as the verification queue delivers it. */
function published(detail: Record<string, unknown>): string {
  return JSON.stringify({ source: 'ffc.validator', 'detail-type': 'flag-change-published', detail });
}

function good(flagKey: string, version = 1): Record<string, unknown> {
  return {
    flagKey,
    version,
    kind: 'change',
    services: SERVICES,
    region: REGION,
    correlationId: `${flagKey}:${version}`,
  };
}

const sqs = (bodies: readonly string[]): SQSEvent =>
  ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) }) as SQSEvent;

describe('verification scheduler on hostile requests (the real checker, DynamoDB Local, the validating audit trail)', () => {
  const table = useLocalFlagTable();
  const trail = useAuditTrail(stage);
  const executions: VerificationInput[] = [];

  /**
   * One verification as the state machine runs it: every service reported the version (Logs Insights rows),
   * the real checker audits it, each consistent verdict is recorded as verified in this region.
   */
  const handler = createVerificationSchedulerHandler(() => ({
    region: REGION,
    stage,
    runVerification: async (input) => {
      executions.push(input);
      const rows = input.changes.flatMap((change) =>
        change.services.map((service) => [
          { field: 'service', value: service },
          { field: 'flagKey', value: change.flagKey },
          { field: 'version', value: String(change.version) },
        ]),
      );
      try {
        const checker = createConsistencyCheckerHandler(() => ({ audit: trail().sink, stage }));
        const { verdicts } = await checker({ region: input.region, changes: input.changes, rows });
        for (const verdict of verdicts.filter((v) => v.consistent)) {
          await table().store.recordVerification(verdict.flagKey, input.region, verdict.version);
        }
        return { status: 'SUCCEEDED' };
      } catch (error) {
        return { status: 'FAILED', error: (error as Error).message };
      }
    },
  }));

  const hostile: Array<[string, string]> = [
    ['a body that is not JSON', '{ not json'],
    ['a body that is JSON null', 'null'],
    ['a body that is a list', '[]'],
    ['no detail', JSON.stringify({ source: 'ffc.validator' })],
    ['a flag key that would inject into the query', published({ ...good('sched-x'), flagKey: 'x" or 1=1 or "' })],
    ['a flag key with a table prefix', published({ ...good('sched-x'), flagKey: 'FLAG#sched-x' })],
    ['the version "0x10"', published({ ...good('sched-bad-hex'), version: '0x10' })],
    ['the version "3"', published({ ...good('sched-bad-string'), version: '3' })],
    ['version 0', published({ ...good('sched-bad-zero'), version: 0 })],
    ['version -1', published({ ...good('sched-bad-negative'), version: -1 })],
    ['version 1.5', published({ ...good('sched-bad-fraction'), version: 1.5 })],
    ['version 1e21', published({ ...good('sched-bad-huge'), version: 1e21 })],
    ['services that are not a list', published({ ...good('sched-bad-services'), services: 'checkout-api' })],
    ['no services', published({ ...good('sched-bad-services'), services: [] })],
    ['services that are not names', published({ ...good('sched-bad-services'), services: [7, { id: 'x' }] })],
    [
      'a service listed twice',
      published({ ...good('sched-bad-services'), services: ['checkout-api', 'checkout-api'] }),
    ],
    ['a service with a control character', published({ ...good('sched-bad-services'), services: ['checkout\napi'] })],
    ['a service name of 300 characters', published({ ...good('sched-bad-services'), services: ['s'.repeat(300)] })],
    [
      '1001 services',
      published({ ...good('sched-bad-services'), services: Array.from({ length: 1001 }, (_, i) => `svc-${i}`) }),
    ],
    ['no correlationId', published({ ...good('sched-bad-correlation'), correlationId: undefined })],
    ['a correlationId with an @', published({ ...good('sched-bad-correlation'), correlationId: 'sched@1' })],
    [
      'a correlationId of 200 characters',
      published({ ...good('sched-bad-correlation'), correlationId: 'c'.repeat(200) }),
    ],
    ['a correlationId that is a number', published({ ...good('sched-bad-correlation'), correlationId: 42 })],
    ['an unknown kind', published({ ...good('sched-bad-kind'), kind: 'revert' })],
  ];

  test.each(hostile)('a request with %s fails alone; the good requests around it are verified', async (_, body) => {
    const before = executions.length;
    const response = await handler(sqs([published(good('sched-good-a')), body, published(good('sched-good-b'))]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(executions.length).toBe(before + 1);
    expect(executions[executions.length - 1].changes.map((c) => c.flagKey)).toEqual(['sched-good-a', 'sched-good-b']);
  });

  test('the good requests took effect once however often they were delivered; the refused ones left no trace', async () => {
    expect(await table().store.verifiedVersions('sched-good-a', [REGION])).toEqual({ [REGION]: 1 });
    expect(await trail().types('sched-good-a')).toEqual(['change.applied', 'change.verified']);
    expect(await trail().types('sched-good-b')).toEqual(['change.applied', 'change.verified']);
    for (const flagKey of [
      'sched-x',
      'sched-bad-hex',
      'sched-bad-zero',
      'sched-bad-services',
      'sched-bad-correlation',
    ]) {
      expect(await trail().types(flagKey)).toEqual([]);
      expect(await table().store.verifiedVersions(flagKey, [REGION])).toEqual({ [REGION]: 0 });
    }
  });

  test('duplicates in one batch are verified once and acknowledged together', async () => {
    const before = executions.length;
    const body = published(good('sched-dup', 4));
    expect((await handler(sqs([body, body, body]))).batchItemFailures).toEqual([]);
    expect(executions.slice(before).map((e) => e.changes.length)).toEqual([1]);
  });

  test('out of order: an older version verified after a newer one never moves the fact backwards', async () => {
    expect(
      (await handler(sqs([published(good('sched-order', 3)), published(good('sched-order', 2))]))).batchItemFailures,
    ).toEqual([]);
    expect((await handler(sqs([published(good('sched-order', 1))]))).batchItemFailures).toEqual([]);
    expect(await table().store.verifiedVersions('sched-order', [REGION])).toEqual({ [REGION]: 3 });
  });

  test('a batch of nothing but hostile requests starts no execution', async () => {
    const before = executions.length;
    const response = await handler(sqs(hostile.map(([, body]) => body)));
    expect(response.batchItemFailures).toHaveLength(hostile.length);
    expect(executions.length).toBe(before);
  });

  test('an execution that fails (or cannot start) decides nothing: every request is delivered again', async () => {
    trail().failNext();
    const response = await handler(
      sqs([published(good('sched-retry-a')), '{ not json', published(good('sched-retry-b'))]),
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(await trail().types('sched-retry-a')).toEqual([]);
    const unstartable = createVerificationSchedulerHandler(() => ({
      region: REGION,
      stage,
      runVerification: async () => {
        throw new Error('StartSyncExecution throttled');
      },
    }));
    expect((await unstartable(sqs([published(good('sched-retry-a'))]))).batchItemFailures).toEqual([
      { itemIdentifier: 'm0' },
    ]);
  });
});
