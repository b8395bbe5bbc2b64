import { FlagDocument } from '@ffc/store';
import { UnprocessableInputError, createRollbackHandler } from '../../src';
import { Verdict } from '../../src/verification/consistency';
import { useLocalFlagTable, validChange } from '../support/fixtures';
import { hostileStage, useAuditTrail } from './support/audit-trail';

const stage = hostileStage();
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];

function verdict(flagKey: string, version: number, region = 'eu-west-1'): Verdict {
  return {
    flagKey,
    version,
    services: ['checkout-receipt'],
    correlationId: `${flagKey}:${version}`,
    kind: 'change',
    region,
    consistent: false,
    isRollback: false,
    appliedCount: 0,
    differences: [{ service: 'checkout-receipt', expectedVersion: version, observedVersion: version - 1 }],
  };
}

describe('rollback on hostile verdicts (DynamoDB Local, the validating audit trail on OpenSearch)', () => {
  const table = useLocalFlagTable();
  const trail = useAuditTrail(stage);
  const handler = createRollbackHandler(() => ({ store: table().store, audit: trail().sink, stage, regions: REGIONS }));
  const change = (flagKey: string, version: number, value: boolean): FlagDocument => ({
    ...validChange({ stage, flagKey, version, value }),
  });

  /** v1 verified in every region (last known good), v2 the bad change. */
  async function badChange(flagKey: string) {
    const { store } = table();
    await store.put(change(flagKey, 1, true), { expectedVersion: 0 });
    for (const region of REGIONS) await store.recordVerification(flagKey, region, 1);
    await store.put(change(flagKey, 2, false), { expectedVersion: 1 });
  }

  const rollbackEvents = async (flagKey: string) =>
    (await trail().history(flagKey))
      .filter((e) => e.type.startsWith('rollback.'))
      .map((e) => [e.type, e.region, (e.details as { toVersion: number }).toVersion]);

  const { differences: _d, ...withoutDifferences } = verdict('rollback-refused', 2);
  test.each([
    ['without differences', withoutDifferences],
    ['with differences that are not a list', { ...verdict('rollback-refused', 2), differences: 'all' }],
    ['without a region', { ...verdict('rollback-refused', 2), region: undefined }],
    ['with a region that is not one', { ...verdict('rollback-refused', 2), region: 'Europe/Paris' }],
    ['without a correlationId', { ...verdict('rollback-refused', 2), correlationId: undefined }],
    ['with a correlationId the trail refuses', { ...verdict('rollback-refused', 2), correlationId: 'rollback@2' }],
    ['with the version "0x10"', { ...verdict('rollback-refused', 2), version: '0x10' }],
    ['with the version "2"', { ...verdict('rollback-refused', 2), version: '2' }],
    ['with version 0', { ...verdict('rollback-refused', 2), version: 0 }],
    ['with version -2', { ...verdict('rollback-refused', 2), version: -2 }],
    ['with version 2.5', { ...verdict('rollback-refused', 2), version: 2.5 }],
    ['that says consistent', { ...verdict('rollback-refused', 2), consistent: true }],
    ['with a hostile flag key', { ...verdict('rollback-refused', 2), flagKey: 'FLAG#../rollback-refused' }],
    ['with services that are not names', { ...verdict('rollback-refused', 2), services: [{ id: 1 }] }],
    ['that is not an object', 'rollback-refused@2'],
  ])('a verdict %s is refused before anything is written', async (_, hostile) => {
    if (!(await table().store.get('rollback-refused'))) await badChange('rollback-refused');
    await expect(handler(hostile as never)).rejects.toThrow(Error);
    expect(await table().store.get('rollback-refused')).toMatchObject({ version: 2, kind: 'change' });
  });

  test('none of the refused verdicts left an audit event', async () => {
    expect(await trail().types('rollback-refused')).toEqual([]);
  });

  test('the refusals are typed: the verdict is named as the problem', async () => {
    await expect(handler(withoutDifferences as never)).rejects.toThrow(UnprocessableInputError);
    await expect(handler(withoutDifferences as never)).rejects.toThrow(/verdict: differences/);
  });

  test('an audit outage after the write: the retry finds its own rollback current and writes the missing audit', async () => {
    await badChange('rollback-retried');
    trail().failNext();
    await expect(handler(verdict('rollback-retried', 2))).rejects.toThrow(/audit queue unreachable/);
    expect(await table().store.get('rollback-retried')).toMatchObject({ version: 3, kind: 'rollback', value: true });
    expect(await rollbackEvents('rollback-retried')).toEqual([]);

    expect(await handler(verdict('rollback-retried', 2))).toEqual({
      outcome: 'already-handled',
      alert: false,
      toVersion: 3,
    });
    // And once more, as a duplicate: the same event ids, nothing new in the trail, nothing new written.
    await handler(verdict('rollback-retried', 2));
    expect(await table().store.get('rollback-retried')).toMatchObject({ version: 3 });
    expect(await rollbackEvents('rollback-retried')).toEqual([
      ['rollback.started', 'eu-west-1', 3],
      ['rollback.completed', 'eu-west-1', 3],
    ]);
  });

  test('regions racing on one bad version: one rollback, audited once, by the region whose write won', async () => {
    await badChange('rollback-raced');
    const responses = await Promise.all(REGIONS.map((region) => handler(verdict('rollback-raced', 2, region))));
    const winner = REGIONS[responses.findIndex((r) => r.outcome === 'rolled-back')];
    expect(responses.map((r) => r.outcome).sort()).toEqual(['already-handled', 'already-handled', 'rolled-back']);
    expect(await table().store.get('rollback-raced')).toMatchObject({ version: 3, writtenIn: winner });
    expect(await rollbackEvents('rollback-raced')).toEqual([
      ['rollback.started', winner, 3],
      ['rollback.completed', winner, 3],
    ]);
  });

  test('an out-of-order verdict for an older version never overwrites the newer change', async () => {
    await badChange('rollback-late');
    await table().store.put(change('rollback-late', 3, true), { expectedVersion: 2 });
    expect(await handler(verdict('rollback-late', 2))).toEqual({ outcome: 'superseded', alert: false });
    expect(await table().store.get('rollback-late')).toMatchObject({ version: 3, kind: 'change' });
    expect(await rollbackEvents('rollback-late')).toEqual([]);
  });

  test('a verification fact written outside the store ("0x1") proves nothing: no known good, an alert', async () => {
    const { store, writeItemRaw } = table();
    await store.put(change('rollback-forged-fact', 1, true), { expectedVersion: 0 });
    await store.put(change('rollback-forged-fact', 2, false), { expectedVersion: 1 });
    for (const region of REGIONS) {
      await writeItemRaw({ pk: 'FLAG#rollback-forged-fact', sk: `VERIFIED#${region}`, region, verifiedVersion: '0x1' });
    }
    expect(await handler(verdict('rollback-forged-fact', 2))).toEqual({ outcome: 'no-known-good', alert: true });
    expect(await store.get('rollback-forged-fact')).toMatchObject({ version: 2, kind: 'change' });
    expect(await trail().types('rollback-forged-fact')).toEqual(['rollback.failed', 'alert.raised']);
  });
});
