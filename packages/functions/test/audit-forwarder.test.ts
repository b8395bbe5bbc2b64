import type { EventBridgeClient, PutEventsCommand, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import { createAuditForwarderHandler } from '../src/handlers/audit-writer';

const body = (i: number) => JSON.stringify({ stage: 'pr-7', type: 'change.verified', region: 'eu-west-1', n: i });
const sqsEvent = (count: number) =>
  ({ Records: Array.from({ length: count }, (_, i) => ({ messageId: `m${i}`, body: body(i) })) }) as SQSEvent;

/** An EventBridge client that records each PutEvents request and answers with `answer(entryIndex, callIndex)`. */
function fakeEvents(answer: (detail: string, call: number) => PutEventsResultEntry | Error = () => ({ EventId: 'e' })) {
  const calls: PutEventsCommand['input'][] = [];
  const client = {
    send: async (command: PutEventsCommand) => {
      calls.push(command.input);
      const entries = command.input.Entries!.map((e) => answer(e.Detail!, calls.length - 1));
      const thrown = entries.find((e) => e instanceof Error);
      if (thrown) throw thrown;
      const results = entries as PutEventsResultEntry[];
      return { FailedEntryCount: results.filter((e) => e.ErrorCode).length, Entries: results };
    },
  };
  return { calls, client: client as unknown as EventBridgeClient };
}

describe('audit forwarder: the regional audit queue → the default bus, toward the primary region', () => {
  test('each message goes on the bus unchanged as the detail, with the source and detail type the rules match', async () => {
    const { calls, client } = fakeEvents();
    const result = await createAuditForwarderHandler(() => ({ events: client, eventBusName: 'default' }))(sqsEvent(1));
    expect(result.batchItemFailures).toEqual([]);
    expect(calls[0].Entries).toEqual([
      { EventBusName: 'default', Source: 'ffc.audit', DetailType: 'audit-event', Detail: body(0) },
    ]);
  });

  test('25 messages take three PutEvents calls (at most 10 entries each, API reference), in order', async () => {
    const { calls, client } = fakeEvents();
    await createAuditForwarderHandler(() => ({ events: client, eventBusName: 'default' }))(sqsEvent(25));
    expect(calls.map((c) => c.Entries!.length)).toEqual([10, 10, 5]);
    expect(calls.flatMap((c) => c.Entries!.map((e) => JSON.parse(e.Detail!).n))).toEqual(
      Array.from({ length: 25 }, (_, i) => i),
    );
  });

  test('an entry EventBridge refuses is a batch item failure (retried, then dead-lettered); the rest are done', async () => {
    const { client } = fakeEvents((detail) =>
      JSON.parse(detail).n === 3 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: 'e' },
    );
    const result = await createAuditForwarderHandler(() => ({ events: client, eventBusName: 'default' }))(sqsEvent(12));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm3' }]);
  });

  test('a failed call fails its own ten messages only', async () => {
    const { client } = fakeEvents((_detail, call) => (call === 1 ? new Error('connect ETIMEDOUT') : { EventId: 'e' }));
    const result = await createAuditForwarderHandler(() => ({ events: client, eventBusName: 'default' }))(sqsEvent(25));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${10 + i}`),
    );
  });
});
