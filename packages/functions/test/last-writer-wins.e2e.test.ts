import { FlagDocument, parseFlagStreamRecord } from '@ffc/store';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { regionalValidator, useLocalFlagTable, validChange } from './support/fixtures';

/**
 * Two regions accept the same version of one flag within the replication lag; DynamoDB global tables keep
 * the later write in every replica and drop the other
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html). The
 * losing region's replica then streams a MODIFY whose old and new images carry the same version.
 */
describe('validator: a same-version write replaced by last-writer-wins', () => {
  const table = useLocalFlagTable();

  async function deliver(handler: ReturnType<typeof regionalValidator>['handler']) {
    const records = (await table().newStreamRecords()).filter((r) => parseFlagStreamRecord(r) !== null);
    expect((await handler({ Records: records } as DynamoDBStreamEvent)).batchItemFailures).toEqual([]);
    return records;
  }

  /** v1 published, then this region's own v2 (the loser) published; returns the loser's document. */
  async function losingWrite(flagKey: string, handler: ReturnType<typeof regionalValidator>['handler']) {
    await table().store.put({ ...validChange({ flagKey }), correlationId: `${flagKey}-v1` }, { expectedVersion: 0 });
    await table().store.put(
      { ...validChange({ flagKey, version: 2, value: false }), correlationId: `${flagKey}-here` },
      { expectedVersion: 1 },
    );
    await deliver(handler);
    return (await table().store.get(flagKey))!;
  }

  /** What replication does to this replica when the other region's write of the same version wins. */
  async function otherRegionWins(loser: FlagDocument, overrides: Partial<FlagDocument> = {}) {
    const winner = {
      ...loser,
      value: true,
      correlationId: `${loser.flagKey}-there`,
      changedAt: new Date().toISOString(),
      ...overrides,
    };
    await table().writeCurrentRaw(winner as never);
    return winner;
  }

  test('the winner is published as replacing the losing write, and audited under its own correlation id', async () => {
    const { publisher, audit, handler } = regionalValidator(table().store);
    const loser = await losingWrite('lww-replaced', handler);
    expect(publisher.published.map((p) => [p.change.version, p.correlationId, p.replaces])).toEqual([
      [1, 'lww-replaced-v1', undefined],
      [2, 'lww-replaced-here', undefined],
    ]);
    await otherRegionWins(loser);
    await deliver(handler);
    expect(publisher.published[2]).toMatchObject({
      change: { version: 2, value: true },
      correlationId: 'lww-replaced-there',
      replaces: 'lww-replaced-here',
    });
    const published = audit.events.filter((e) => e.type === 'change.published').map((e) => e.correlationId);
    expect(published).toEqual(['lww-replaced-v1', 'lww-replaced-here', 'lww-replaced-there']);
  });

  test('a replayed record of the losing write is not published again once the winner replaced it', async () => {
    const { publisher, handler } = regionalValidator(table().store);
    await table().store.put(
      { ...validChange({ flagKey: 'lww-replay' }), correlationId: 'lww-replay-v1' },
      { expectedVersion: 0 },
    );
    await table().store.put(
      { ...validChange({ flagKey: 'lww-replay', version: 2, value: false }), correlationId: 'lww-replay-here' },
      { expectedVersion: 1 },
    );
    const losing = await deliver(handler);
    await otherRegionWins((await table().store.get('lww-replay'))!);
    await deliver(handler);
    await handler({ Records: losing } as DynamoDBStreamEvent);
    expect(publisher.published.map((p) => [p.correlationId, p.replaces])).toEqual([
      ['lww-replay-v1', undefined],
      ['lww-replay-here', undefined],
      ['lww-replay-there', 'lww-replay-here'],
    ]);
  });

  test('an invalid winner is rejected against the version before it, and the restore brings back v1, not the loser', async () => {
    const { publisher, audit, handler } = regionalValidator(table().store);
    const loser = await losingWrite('lww-invalid', handler);
    // A boolean flag with a string value: FFC-TYPE-001.
    await otherRegionWins(loser, { value: 'yes' as never });
    await deliver(handler);
    expect(publisher.published.map((p) => p.correlationId)).toEqual(['lww-invalid-v1', 'lww-invalid-here']);
    expect(audit.events.find((e) => e.type === 'change.rejected')).toMatchObject({
      correlationId: 'lww-invalid-there',
    });
    await expect(table().store.get('lww-invalid')).resolves.toMatchObject({ version: 3, kind: 'restore', value: true });
  });
});
