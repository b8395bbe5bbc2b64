import { parseFlagStreamRecord } from '@ffc/store';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ACTORS, createValidatorHandler } from '../src';
import { REGION, regionalValidator, useLocalFlagTable, validChange } from './support/fixtures';

describe('validator against DynamoDB Local and its real stream', () => {
  const table = useLocalFlagTable();

  /** The stream records of the flag's CURRENT item, in order, as Lambda would deliver them. */
  async function currentRecords() {
    return (await table().newStreamRecords()).filter((r) => parseFlagStreamRecord(r) !== null);
  }

  test('a valid change is published once to its explicit services and audited', async () => {
    const { publisher, audit, handler } = regionalValidator(table().store);
    await table().store.put({ ...validChange(), correlationId: 'corr-1' }, { expectedVersion: 0 });
    const response = await handler({ Records: await currentRecords() } as DynamoDBStreamEvent);
    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      region: REGION,
      services: ['checkout-receipt'],
      correlationId: 'corr-1',
    });
    expect(audit.events).toEqual([
      expect.objectContaining({
        type: 'change.published',
        correlationId: 'corr-1',
        details: { targetServices: ['checkout-receipt'] },
      }),
    ]);
  });

  test('an invalid change is never published: the previous value is restored once, each region audits its verdict', async () => {
    const { publisher, audit, handler } = regionalValidator(table().store);
    const other = regionalValidator(table().store, { region: 'us-east-1' });
    // A write that bypassed the CLI: a boolean flag with a string value.
    await table().store.put(
      { ...validChange({ version: 2, value: 'yes' as never }), correlationId: 'corr-2' },
      { expectedVersion: 1 },
    );
    const records = await currentRecords();
    // Two regions see the same record; only one restore may land.
    const [here, there] = await Promise.all([
      handler({ Records: records } as DynamoDBStreamEvent),
      other.handler({ Records: records } as DynamoDBStreamEvent),
    ]);
    expect(here.batchItemFailures).toEqual([]);
    expect(there.batchItemFailures).toEqual([]);
    expect(publisher.published).toHaveLength(0);
    expect(other.publisher.published).toHaveLength(0);
    const current = await table().store.get('checkout-one-click');
    expect(current).toMatchObject({ version: 3, kind: 'restore', value: true });
    const rejections = [...audit.events, ...other.audit.events].filter((e) => e.type === 'change.rejected');
    expect(rejections.map((e) => e.region).sort()).toEqual([REGION, 'us-east-1']);
    expect((rejections[0].details as { ruleIds: string[] }).ruleIds).toEqual(['FFC-TYPE-001']);
  });

  test('the restore comes back through the stream and is published, not validated again: no loop', async () => {
    const { publisher, audit, handler } = regionalValidator(table().store);
    const response = await handler({ Records: await currentRecords() } as DynamoDBStreamEvent);
    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.published.map((p) => [p.change.version, p.change.kind])).toEqual([[3, 'restore']]);
    expect(audit.types()).toEqual(['change.published']);
    expect(await table().store.get('checkout-one-click')).toMatchObject({ version: 3 });
  });

  test('a change for other regions only is not published here', async () => {
    const { publisher, handler } = regionalValidator(table().store);
    await table().store.put({ ...validChange({ version: 4, regions: ['us-east-1'] }) }, { expectedVersion: 3 });
    await handler({ Records: await currentRecords() } as DynamoDBStreamEvent);
    expect(publisher.published).toHaveLength(0);
  });

  test('a forged rollback (not by the connector, or not reproducing an accepted version) is treated as invalid', async () => {
    const { publisher, audit, handler } = regionalValidator(table().store);
    const { store, writeCurrentRaw } = table();
    // Writers that bypass the store: a "rollback" by someone else, and one by the connector's name with a new value.
    const current = (await store.get('checkout-one-click'))!;
    await writeCurrentRaw({
      ...current,
      version: current.version + 1,
      kind: 'rollback',
      value: true,
      changedBy: 'mallory',
      rollbackOf: current.version,
      sourceVersion: 1,
    });
    await handler({ Records: await currentRecords() } as DynamoDBStreamEvent);
    const restored = (await store.get('checkout-one-click'))!;
    await writeCurrentRaw({
      ...restored,
      version: restored.version + 1,
      kind: 'rollback',
      value: false,
      changedBy: ACTORS.rollback,
      rollbackOf: restored.version,
      sourceVersion: 1,
    });
    await handler({ Records: await currentRecords() } as DynamoDBStreamEvent);
    // Both were rejected and undone; neither forged value was published.
    expect(
      audit.events.filter((e) => e.type === 'change.rejected').map((e) => (e.details as { ruleIds: string[] }).ruleIds),
    ).toEqual([['FFC-VER-007'], ['FFC-VER-007']]);
    expect(publisher.published.filter((p) => p.change.kind === 'rollback')).toEqual([]);
    expect(await store.get('checkout-one-click')).toMatchObject({ kind: 'restore', changedBy: ACTORS.validator });
  });

  test('a record that fails stops the batch there, so later versions are not published ahead of it', async () => {
    const failing = regionalValidator(table().store);
    await currentRecords(); // earlier tests' restores
    await table().store.put({ ...validChange({ flagKey: 'checkout-ordering', version: 1 }) }, { expectedVersion: 0 });
    await table().store.put(
      { ...validChange({ flagKey: 'checkout-ordering', version: 2, value: false }) },
      { expectedVersion: 1 },
    );
    const records = await currentRecords();
    let calls = 0;
    const handler = createValidatorHandler(() => ({
      process: async (change) => {
        calls++;
        if (change.newDocument?.version === 1) throw new Error('SNS unavailable');
        return failing.validator.process(change);
      },
    }));
    const response = await handler({ Records: records } as DynamoDBStreamEvent);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0].dynamodb!.SequenceNumber }]);
    expect(calls).toBe(1);
  });

  test('a record that can never be parsed is skipped (logged and counted), not retried forever', async () => {
    const { handler } = regionalValidator(table().store);
    const response = await handler({
      Records: [
        {
          eventID: 'x',
          eventName: 'MODIFY',
          dynamodb: {
            SequenceNumber: '42',
            Keys: { pk: { S: 'FLAG#a-flag' }, sk: { S: 'CURRENT' } },
            NewImage: { pk: { S: 'FLAG#a-flag' } },
          },
        },
      ],
    } as never);
    expect(response.batchItemFailures).toEqual([]);
  });
});
