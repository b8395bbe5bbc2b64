import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { serviceCatalogue } from '@ffc/rules';
import { FlagDocument } from '@ffc/store';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ACTORS, PublishedChange, createStreamValidator, createValidatorHandler } from '../../src';
import { REGION, RecordingPublisher, useLocalFlagTable, validChange } from '../support/fixtures';
import { hostileStage, useAuditTrail } from './support/audit-trail';

const stage = hostileStage();
const OTHER_REGION = 'us-east-1';

/** The fan-out's port, failing the next `failures` publications as an unreachable SNS would. */
class FlakyPublisher extends RecordingPublisher {
  failures = 0;
  override async publish(change: PublishedChange): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS unreachable (injected)');
    }
    return super.publish(change);
  }
  versions(flagKey: string): number[] {
    return this.published.filter((p) => p.change.flagKey === flagKey).map((p) => p.change.version);
  }
}

describe('validator on hostile stream records (DynamoDB Local, its stream, the validating audit trail on OpenSearch)', () => {
  const table = useLocalFlagTable();
  const trail = useAuditTrail(stage);
  const change = (
    flagKey: string,
    version: number,
    overrides: Parameters<typeof validChange>[0] = {},
  ): FlagDocument => ({
    ...validChange({ stage, flagKey, version, ...overrides }),
  });

  function regionalValidator(region = REGION) {
    const publisher = new FlakyPublisher();
    const validator = createStreamValidator({
      store: table().store,
      publisher,
      audit: trail().sink,
      catalogue: serviceCatalogue,
      stage,
      production: false,
      region,
      actor: ACTORS.validator,
    });
    const handler = createValidatorHandler(() => validator);
    return {
      publisher,
      deliver: (records: readonly unknown[]) => handler({ Records: records } as DynamoDBStreamEvent),
    };
  }

  /** The stream records of CURRENT items written since the last call, in order (of the listed flags only). */
  async function currentRecords(...flagKeys: string[]): Promise<_Record[]> {
    return (await table().newStreamRecords()).filter(
      (r) =>
        r.dynamodb?.Keys?.sk?.S === 'CURRENT' &&
        (flagKeys.length === 0 || flagKeys.includes(r.dynamodb.Keys.pk.S!.slice('FLAG#'.length))),
    );
  }

  /** A copy of a real record with its new image's attributes replaced (a record no table would emit). */
  function forged(record: _Record, newImage: Record<string, unknown> | undefined, sequenceNumber: string) {
    return { ...record, dynamodb: { ...record.dynamodb, SequenceNumber: sequenceNumber, NewImage: newImage } };
  }

  test('a change written without a correlationId is published once and audited under <flagKey>:<version>', async () => {
    const { publisher, deliver } = regionalValidator();
    await table().store.put(change('no-correlation', 1), { expectedVersion: 0 });
    const records = await currentRecords();
    expect((await deliver(records)).batchItemFailures).toEqual([]);
    // Lambda delivering the same records again (a timeout, a retried batch) publishes nothing more.
    expect((await deliver(records)).batchItemFailures).toEqual([]);
    expect(publisher.versions('no-correlation')).toEqual([1]);
    expect(publisher.published[0].correlationId).toBe('no-correlation:1');
    const history = await trail().history('no-correlation');
    expect(history.map((e) => [e.type, e.correlationId, e.region])).toEqual([
      ['change.published', 'no-correlation:1', REGION],
    ]);
  });

  test.each([
    ['with a space', 'corr id'],
    ['with an @', 'corr@1'],
    ['of 200 characters', 'c'.repeat(200)],
    ['that is a number', 42],
  ])('a correlationId %s is never published: rejected, undone, audited under the derived id', async (_, id) => {
    const flagKey = `bad-correlation-${typeof id === 'number' ? 'number' : id.length}`;
    const { publisher, deliver } = regionalValidator();
    await table().store.put({ ...change(flagKey, 1), correlationId: id as string }, { expectedVersion: 0 });
    expect((await deliver(await currentRecords())).batchItemFailures).toEqual([]);
    expect(publisher.published).toEqual([]);
    // The rejected creation was removed (history keeps it, so versions still only go up).
    expect(await table().store.get(flagKey)).toBeNull();
    const [rejected, ...rest] = await trail().history(flagKey);
    expect(rest).toEqual([]);
    expect(rejected).toMatchObject({
      type: 'change.rejected',
      correlationId: `${flagKey}:1`,
      details: { ruleIds: ['FFC-MODEL'] },
    });
  });

  test('oversize and deeply nested documents are rejected with a readable audit and the previous version restored', async () => {
    const { publisher, deliver } = regionalValidator();
    const flagKey = 'hostile-shapes';
    const v1 = { ...change(flagKey, 1), correlationId: 'shapes-1' };
    await table().store.put(v1, { expectedVersion: 0 });
    await deliver(await currentRecords());
    let nested: unknown = true;
    // As deep as DynamoDB stores (32 levels for the whole item).
    for (let depth = 0; depth < 29; depth++) nested = { deeper: nested };
    const hostile: Array<Record<string, unknown>> = [
      { ['k'.repeat(30_000)]: 1 }, // a field name that a parse error would echo whole
      { type: 'json', value: nested },
      { type: 'string', value: 'x'.repeat(300_000) },
    ];
    for (const fields of hostile) {
      const current = (await table().store.get(flagKey))!;
      // Writers that bypass the store and the CLI.
      await table().writeCurrentRaw({ ...v1, ...fields, version: current.version + 1, correlationId: 'shapes-bad' });
      expect((await deliver(await currentRecords())).batchItemFailures).toEqual([]);
      // The restore comes back through the stream and is published.
      expect((await deliver(await currentRecords())).batchItemFailures).toEqual([]);
    }
    expect(await table().store.get(flagKey)).toMatchObject({ version: 7, kind: 'restore', value: true });
    // v1, then the three restores (v3, v5, v7); none of the hostile versions.
    expect(publisher.versions(flagKey)).toEqual([1, 3, 5, 7]);
    const history = await trail().history(flagKey);
    const rejections = history.filter((e) => e.type === 'change.rejected');
    expect(rejections.map((e) => e.version)).toEqual([2, 4, 6]);
    for (const rejection of rejections) {
      for (const message of (rejection.details as { messages: readonly string[] }).messages) {
        expect(message.length).toBeLessThanOrEqual(500);
      }
    }
    expect(history.filter((e) => e.type === 'change.published').map((e) => e.version)).toEqual([1, 3, 5, 7]);
  });

  test('records that can never be processed are skipped alone; the good records around them are published once', async () => {
    const { publisher, deliver } = regionalValidator();
    await table().store.put(change('mixed-first', 1), { expectedVersion: 0 });
    await table().store.put(change('mixed-last', 1), { expectedVersion: 0 });
    const [first, last] = await currentRecords('mixed-first', 'mixed-last');
    const image = first.dynamodb!.NewImage!;
    const document = image.document.M!;
    const withVersion = (n: Record<string, string>) => ({
      ...image,
      version: n,
      document: { M: { ...document, version: n } },
    });
    const malformed = [
      forged(first, withVersion({ N: '0x10' }), '9001'),
      forged(first, withVersion({ N: '0' }), '9002'),
      forged(first, withVersion({ N: '-3' }), '9003'),
      forged(first, withVersion({ N: '1.5' }), '9004'),
      forged(first, { ...image, document: { S: 'not a map' } }, '9005'),
      forged(first, undefined, '9006'),
      { ...forged(first, image, '9007'), eventName: 'UPSERT' },
      {
        ...forged(first, image, '9008'),
        dynamodb: {
          ...first.dynamodb,
          SequenceNumber: '9008',
          Keys: { pk: { S: 'FLAG#../Mixed First' }, sk: { S: 'CURRENT' } },
        },
      },
      { eventID: 'no-dynamodb', eventName: 'MODIFY' },
      null,
    ];
    const response = await deliver([first, ...malformed, last]);
    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.published.map((p) => [p.change.flagKey, p.change.version])).toEqual([
      ['mixed-first', 1],
      ['mixed-last', 1],
    ]);
    expect(await trail().types('mixed-first')).toEqual(['change.published']);
    expect(await trail().types('mixed-last')).toEqual(['change.published']);
  });

  test('an audit or fan-out outage stops the batch at that record; the retry publishes it exactly once, audited', async () => {
    const { publisher, deliver } = regionalValidator();
    await table().store.put(change('outage-audit', 1), { expectedVersion: 0 });
    await table().store.put(change('outage-publish', 1), { expectedVersion: 0 });
    const [audited, published] = await currentRecords('outage-audit', 'outage-publish');
    const failedAt = async (records: _Record[]) =>
      (await deliver(records)).batchItemFailures.map((f) => f.itemIdentifier);

    trail().failNext();
    expect(await failedAt([audited, published])).toEqual([audited.dynamodb!.SequenceNumber]);
    // Nothing was published ahead of its audit, nor after the record that failed.
    expect(publisher.published).toEqual([]);
    // Lambda retries from the failed record; this time the fan-out fails after the audit was recorded.
    publisher.failures = 1;
    expect(await failedAt([audited, published])).toEqual([audited.dynamodb!.SequenceNumber]);
    expect(await failedAt([audited, published])).toEqual([]);
    expect(publisher.published.map((p) => p.change.flagKey)).toEqual(['outage-audit', 'outage-publish']);
    expect(await trail().types('outage-audit')).toEqual(['change.published']);
    expect(await trail().types('outage-publish')).toEqual(['change.published']);
  });

  test('a rejection whose audit failed is audited by its retry, though another region restored meanwhile', async () => {
    const here = regionalValidator();
    const there = regionalValidator(OTHER_REGION);
    const flagKey = 'retried-rejection';
    await table().store.put(
      { ...change(flagKey, 1, { regions: [REGION, OTHER_REGION] }), correlationId: 'rr-1' },
      {
        expectedVersion: 0,
      },
    );
    await table().store.put(
      { ...change(flagKey, 2, { regions: [REGION, OTHER_REGION], value: 'yes' as never }), correlationId: 'rr-2' },
      { expectedVersion: 1 },
    );
    const records = await currentRecords(flagKey);
    await here.deliver(records.slice(0, 1));
    await there.deliver(records.slice(0, 1));
    trail().failNext();
    expect((await here.deliver(records.slice(1))).batchItemFailures).toHaveLength(1);
    expect((await there.deliver(records.slice(1))).batchItemFailures).toEqual([]);
    expect((await here.deliver(records.slice(1))).batchItemFailures).toEqual([]);
    // Restored once (v3), and each region's verdict is in the trail once.
    expect(await table().store.get(flagKey)).toMatchObject({ version: 3, kind: 'restore', value: true });
    const rejections = (await trail().history(flagKey)).filter((e) => e.type === 'change.rejected');
    expect(rejections.map((e) => [e.region, e.version, e.correlationId]).sort()).toEqual(
      [
        [REGION, 2, 'rr-2'],
        [OTHER_REGION, 2, 'rr-2'],
      ].sort(),
    );
    expect([...here.publisher.published, ...there.publisher.published].map((p) => p.change.version)).toEqual([1, 1]);
  });

  test('duplicate and out-of-order deliveries publish each version once, never an older one after a newer', async () => {
    const { publisher, deliver } = regionalValidator();
    await table().store.put(change('reordered', 1), { expectedVersion: 0 });
    await table().store.put(change('reordered', 2, { value: false }), { expectedVersion: 1 });
    const [v1, v2] = await currentRecords('reordered');
    expect((await deliver([v2, v1])).batchItemFailures).toEqual([]);
    expect((await deliver([v1, v2, v2])).batchItemFailures).toEqual([]);
    expect(publisher.versions('reordered')).toEqual([2]);
    expect((await trail().history('reordered')).map((e) => [e.type, e.version])).toEqual([
      ['change.published', 2],
      ['change.published', 1],
    ]);
  });

  test('a rejected record whose previous document cannot be restored is audited, skipped, and holds nothing up', async () => {
    const { publisher, deliver } = regionalValidator();
    const flagKey = 'unrestorable';
    const base = change(flagKey, 5);
    await table().writeCurrentRaw({ ...base });
    // A writer moved the flag backwards, to an invalid value: the old image (v5) is not earlier than v3.
    await table().writeCurrentRaw({ ...base, version: 3, value: 'yes' });
    await table().store.put(change('after-unrestorable', 1), { expectedVersion: 0 });
    const records = await currentRecords(flagKey, 'after-unrestorable');
    expect((await deliver(records.slice(1))).batchItemFailures).toEqual([]);
    expect(publisher.published.map((p) => p.change.flagKey)).toEqual(['after-unrestorable']);
    expect(await table().store.get(flagKey)).toMatchObject({ version: 3, value: 'yes' });
    expect(await trail().types(flagKey)).toEqual(['change.rejected']);
  });
});
