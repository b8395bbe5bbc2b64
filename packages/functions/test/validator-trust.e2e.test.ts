import { parseFlagStreamRecord } from '@ffc/store';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { regionalValidator, useLocalFlagTable, validChange } from './support/fixtures';

/** The stream validator trusts changedAt as the rules' `now` because the flag writer stamps it, never backdated. */
describe('validator: a backdated change did not come through the flag writer', () => {
  const table = useLocalFlagTable();
  let validator: ReturnType<typeof regionalValidator>;
  beforeAll(() => (validator = regionalValidator(table().store)));
  const deliver = async () => {
    const records = (await table().newStreamRecords()).filter((r) => parseFlagStreamRecord(r) !== null);
    return validator.handler({ Records: records } as DynamoDBStreamEvent);
  };

  test('a change stamped earlier than the version it replaces is rejected and restored; a later one is published', async () => {
    const flagKey = 'trust-clock';
    await table().store.put(
      { ...validChange({ flagKey, version: 1, changedAt: '2026-12-02T12:00:00.000Z' }), correlationId: 'clock-1' },
      { expectedVersion: 0 },
    );
    // Written around the writer, an hour before version 1: a rate rule's "last hour" would not see version 1.
    await table().store.put(
      {
        ...validChange({ flagKey, version: 2, value: false, changedAt: '2026-12-02T11:00:00.000Z' }),
        correlationId: 'clock-2',
      },
      { expectedVersion: 1 },
    );
    expect((await deliver()).batchItemFailures).toEqual([]);
    expect(validator.publisher.published.map((p) => p.change.version)).toEqual([1]);
    expect(validator.audit.events.find((e) => e.correlationId === 'clock-2')).toMatchObject({
      type: 'change.rejected',
      details: { ruleIds: ['FFC-MODEL'] },
    });
    expect(await table().store.get(flagKey)).toMatchObject({ version: 3, kind: 'restore', value: true });

    await table().store.put(
      {
        ...validChange({ flagKey, version: 4, value: false, changedAt: '2026-12-02T12:00:00.000Z' }),
        correlationId: 'clock-4',
      },
      { expectedVersion: 3 },
    );
    await deliver();
    expect(validator.publisher.published.map((p) => p.change.version)).toContain(4);
  });
});
