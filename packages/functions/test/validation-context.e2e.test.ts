import { parseFlagStreamRecord } from '@ffc/store';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { regionalValidator, useLocalFlagTable, validChange } from './support/fixtures';

const needing = (flagKey: string, keys: readonly string[], version = 1) =>
  validChange({ flagKey, version, prerequisites: keys.map((key) => ({ flagKey: key, value: true })) });

/** The stream validator judges a change by what the flag table holds beyond it: its whole chain, its dependents. */
describe('the stream validator’s context, read from DynamoDB Local', () => {
  const table = useLocalFlagTable();
  let validator: ReturnType<typeof regionalValidator>;
  // The store's own reverse index answers `dependents`.
  beforeAll(() => (validator = regionalValidator(table().store)));
  const validate = (event: DynamoDBStreamEvent) => validator.handler(event);

  /** Runs the new stream records of `flagKey`'s current item through the validator; returns its audit verdicts. */
  async function validateNewRecordsOf(flagKey: string) {
    const before = validator.audit.events.length;
    const records = (await table().newStreamRecords()).filter((r) => parseFlagStreamRecord(r)?.flagKey === flagKey);
    expect((await validate({ Records: records } as DynamoDBStreamEvent)).batchItemFailures).toEqual([]);
    return validator.audit.events.slice(before).filter((e) => e.flagKey === flagKey);
  }

  test('a three-hop prerequisite cycle (me -> alpha -> beta -> me) is refused and the write undone', async () => {
    // Writes that bypass `ffc set`: the store checks versions, not rules.
    await table().store.put({ ...needing('beta-flag', ['me-flag']) }, { expectedVersion: 0 });
    await table().store.put({ ...needing('alpha-flag', ['beta-flag']) }, { expectedVersion: 0 });
    await table().store.put({ ...needing('me-flag', ['alpha-flag']) }, { expectedVersion: 0 });
    const [verdict] = await validateNewRecordsOf('me-flag');
    expect(verdict).toMatchObject({ type: 'change.rejected' });
    expect((verdict.details as { ruleIds: string[] }).ruleIds).toContain('FFC-PREREQ-006');
    // A rejected creation is removed: the flag does not exist for its readers.
    expect(await table().store.get('me-flag')).toBeNull();
  });

  test('archiving a flag another flag depends on is refused (FFC-PREREQ-015); once detached, it is archived', async () => {
    await table().store.put({ ...validChange() }, { expectedVersion: 0 });
    await table().store.put({ ...needing('checkout-express', ['checkout-one-click']) }, { expectedVersion: 0 });
    await validateNewRecordsOf('checkout-one-click');
    const archive = (expectedVersion: number) =>
      table().store.archive('checkout-one-click', {
        expectedVersion,
        changedBy: 'jdoe',
        reason: 'one-click checkout is the default now',
      });

    await archive(1);
    const [refused] = await validateNewRecordsOf('checkout-one-click');
    expect(refused).toMatchObject({ type: 'change.rejected' });
    expect((refused.details as { ruleIds: string[] }).ruleIds).toEqual(['FFC-PREREQ-015']);
    // The archived version is back, as a restore on top of the refused archive.
    expect(await table().store.get('checkout-one-click')).toMatchObject({ version: 3, kind: 'restore', value: true });

    await validateNewRecordsOf('checkout-one-click'); // the restore, published like any connector write
    await table().store.put({ ...needing('checkout-express', [], 2) }, { expectedVersion: 1 });
    await archive(3);
    const verdicts = await validateNewRecordsOf('checkout-one-click');
    expect(verdicts.map((e) => e.type)).toEqual(['flag.archived']);
  });
});
