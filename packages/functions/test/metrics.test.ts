import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createValidatorHandler } from '../src';

/** The EMF documents a handler printed during `run`. */
async function emfDuring(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  // Powertools writes EMF through its own Console bound to stdout.
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l.trim()));
}

describe('EMF metrics', () => {
  test('the validator counts each outcome and publishes once per invocation', async () => {
    const outcomes = [
      { outcome: 'published' as const, services: ['a-svc'] },
      { outcome: 'rejected' as const, ruleIds: ['FFC-KEY-001'], restore: 'restored' },
    ];
    const handler = createValidatorHandler(() => ({ process: async () => outcomes.shift()! }));
    const record = (n: string) => ({
      eventID: n,
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: n, Keys: { pk: { S: 'FLAG#a-flag' }, sk: { S: 'V#1' } } },
    });
    // History items are skipped by the parser; CURRENT items reach the processor.
    const current = (n: string) => ({
      ...record(n),
      dynamodb: {
        ...record(n).dynamodb,
        Keys: { pk: { S: 'FLAG#a-flag' }, sk: { S: 'CURRENT' } },
        NewImage: {
          pk: { S: 'FLAG#a-flag' },
          sk: { S: 'CURRENT' },
          version: { N: '1' },
          document: { M: { flagKey: { S: 'a-flag' }, version: { N: '1' } } },
        },
        OldImage: {
          pk: { S: 'FLAG#a-flag' },
          sk: { S: 'CURRENT' },
          version: { N: '1' },
          document: { M: { flagKey: { S: 'a-flag' }, version: { N: '1' } } },
        },
      },
    });
    const documents = await emfDuring(() =>
      handler({ Records: [current('1'), record('2'), current('3')] } as unknown as DynamoDBStreamEvent),
    );
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ ChangesPublished: 1, ChangesRejected: 1, service: 'ffc' });
  });
});
