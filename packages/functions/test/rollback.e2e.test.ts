import { UnprocessableInputError, createRollbackHandler } from '../src';
import { RecordingAudit, STAGE, useLocalFlagTable, validChange } from './support/fixtures';
import { Verdict } from '../src/verification/consistency';

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

describe('rollback against DynamoDB Local', () => {
  const table = useLocalFlagTable();
  const audit = new RecordingAudit();
  const handler = createRollbackHandler(() => ({ store: table().store, audit, stage: STAGE, regions: REGIONS }));

  /** v1 verified everywhere (last known good), v2 verified in one region only, v3 the bad change. */
  async function history(flagKey: string) {
    const { store } = table();
    await store.put({ ...validChange({ flagKey, version: 1, value: true }) }, { expectedVersion: 0 });
    for (const region of REGIONS) await store.recordVerification(flagKey, region, 1);
    await store.put({ ...validChange({ flagKey, version: 2, value: false }) }, { expectedVersion: 1 });
    await store.recordVerification(flagKey, 'eu-west-1', 2);
    await store.put(
      { ...validChange({ flagKey, version: 3, value: false, description: 'bad' }) },
      { expectedVersion: 2 },
    );
  }

  test('writes back the version verified in every region (not merely the previous one), once', async () => {
    await history('rollback-race');
    // Every region's verification found the same inconsistency at once.
    const responses = await Promise.all(REGIONS.map((region) => handler(verdict('rollback-race', 3, region))));
    expect(responses.map((r) => r.outcome).sort()).toEqual(['already-handled', 'already-handled', 'rolled-back']);
    expect(responses.every((r) => !r.alert)).toBe(true);
    expect(await table().store.get('rollback-race')).toMatchObject({
      version: 4,
      kind: 'rollback',
      value: true,
      rollbackOf: 3,
    });
    expect(audit.types().filter((t) => t.startsWith('rollback.'))).toEqual(['rollback.started', 'rollback.completed']);
  });

  test('a newer change is never overwritten', async () => {
    await history('rollback-newer');
    await table().store.put(
      { ...validChange({ flagKey: 'rollback-newer', version: 4, value: true }) },
      { expectedVersion: 3 },
    );
    const response = await handler(verdict('rollback-newer', 3));
    expect(response).toEqual({ outcome: 'superseded', alert: false });
    expect(await table().store.get('rollback-newer')).toMatchObject({ version: 4, kind: 'change' });
  });

  test('with nothing verified everywhere it alerts instead of guessing', async () => {
    await table().store.put({ ...validChange({ flagKey: 'rollback-none', version: 1 }) }, { expectedVersion: 0 });
    const response = await handler(verdict('rollback-none', 1));
    expect(response).toEqual({ outcome: 'no-known-good', alert: true });
    expect(audit.events.filter((e) => e.flagKey === 'rollback-none').map((e) => e.type)).toEqual([
      'rollback.failed',
      'alert.raised',
    ]);
  });

  test('a rollback is never rolled back again', async () => {
    const response = await handler(verdict('rollback-race', 4));
    expect(response.alert).toBe(true);
    expect(await table().store.get('rollback-race')).toMatchObject({ version: 4 });
  });

  test('a malformed verdict is an error', async () => {
    await expect(handler({ flagKey: 'x' } as never)).rejects.toThrow(UnprocessableInputError);
  });
});
