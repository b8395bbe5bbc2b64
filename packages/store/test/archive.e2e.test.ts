import { createFlagStore, FlagNotFoundError, FlagStore, InvalidFlagInputError, VersionConflictError } from '../src';
import { REGIONS, flagDocument, uniqueFlagKey, useLocalFlagTable } from './local-table';

const table = useLocalFlagTable();
let store: FlagStore;
beforeAll(() => {
  const { documentClient, tableName } = table();
  store = createFlagStore({ client: documentClient, tableName, now: () => new Date('2025-06-01T12:00:00.000Z') });
});

const ARCHIVER = { changedBy: 'alice@example.com', reason: 'the experiment ended' };

async function flagWithVersions(label: string, versions: readonly Record<string, unknown>[]): Promise<string> {
  const flagKey = uniqueFlagKey(label);
  for (const [i, fields] of versions.entries()) {
    await store.put({ ...flagDocument(flagKey, i + 1), ...fields }, { expectedVersion: i });
  }
  return flagKey;
}

describe('archive: a tombstone version in the table', () => {
  test('writes version current + 1 marked archive; readers then see no flag, history keeps both', async () => {
    const flagKey = await flagWithVersions('archive', [{}, {}]);
    const result = await store.archive(flagKey, { ...ARCHIVER, expectedVersion: 2, correlationId: 'arch-1' });
    expect(result).toMatchObject({
      outcome: 'archived',
      document: {
        flagKey,
        version: 3,
        kind: 'archive',
        archiveOf: 2,
        changedBy: ARCHIVER.changedBy,
        reason: ARCHIVER.reason,
        correlationId: 'arch-1',
        changedAt: '2025-06-01T12:00:00.000Z',
      },
    });
    expect(await store.get(flagKey)).toBeNull();
    expect(await store.currentRecord(flagKey)).toMatchObject({ version: 3, kind: 'archive' });
    expect((await store.history(flagKey)).map((d) => [d.version, d.kind])).toEqual([
      [3, 'archive'],
      [2, 'change'],
      [1, 'change'],
    ]);
    expect(await store.latestVersion(flagKey)).toBe(3);
  });

  test('the tombstone names every service and region any version reached, so every cache drops it', async () => {
    const narrowed = await flagWithVersions('narrowed', [
      { services: ['checkout', 'payments'], regions: ['eu-west-1'] },
      { services: ['checkout'], regions: ['us-east-1'] },
    ]);
    const { document } = await store.archive(narrowed, { ...ARCHIVER, expectedVersion: 2 });
    expect(document).toMatchObject({ services: ['checkout', 'payments'], regions: ['eu-west-1', 'us-east-1'] });

    // One version served every region (no `regions`) and one every service: the tombstone goes everywhere.
    const wide = await flagWithVersions('wide', [{ services: ['*'] }, { regions: ['eu-west-1'] }]);
    const archived = (await store.archive(wide, { ...ARCHIVER, expectedVersion: 2 })).document;
    expect(archived.services).toEqual(['*']);
    expect(archived).not.toHaveProperty('regions');
  });

  test('is conditional on the version read: a stale expectedVersion is a conflict and writes nothing', async () => {
    const flagKey = await flagWithVersions('stale-archive', [{}, {}]);
    const attempt = store.archive(flagKey, { ...ARCHIVER, expectedVersion: 1 });
    await expect(attempt).rejects.toThrow(VersionConflictError);
    await expect(attempt).rejects.toMatchObject({ latestVersion: 2, exists: true });
    expect(await store.get(flagKey)).toMatchObject({ version: 2, kind: 'change' });
  });

  test('a retry or a concurrent archive of the same version lands once; the others answer already-archived', async () => {
    const flagKey = await flagWithVersions('racing-archive', [{}]);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => store.archive(flagKey, { ...ARCHIVER, expectedVersion: 1 })),
    );
    expect(results.filter((r) => r.outcome === 'archived')).toHaveLength(1);
    expect(results.every((r) => r.document.version === 2)).toBe(true);
    // A retry names the version it archived; a fresh read of latestVersion names the tombstone.
    for (const expectedVersion of [1, 2]) {
      expect(await store.archive(flagKey, { ...ARCHIVER, expectedVersion })).toMatchObject({
        outcome: 'already-archived',
        document: { version: 2 },
      });
    }
    expect(await store.latestVersion(flagKey)).toBe(2);
  });

  test('refuses a flag that does not exist and a request without who and why', async () => {
    await expect(store.archive(uniqueFlagKey('never'), { ...ARCHIVER, expectedVersion: 1 })).rejects.toThrow(
      FlagNotFoundError,
    );
    const flagKey = await flagWithVersions('anonymous', [{}]);
    await expect(store.archive(flagKey, { expectedVersion: 1, changedBy: '', reason: 'x' })).rejects.toThrow(
      InvalidFlagInputError,
    );
    await expect(store.archive(flagKey, { expectedVersion: 1, changedBy: 'bob', reason: ' ' })).rejects.toThrow(
      /non-empty reason/,
    );
  });

  test('re-creating the key continues above the tombstone; a creation from 0 is a conflict that says so', async () => {
    const flagKey = await flagWithVersions('recreate', [{}, {}]);
    await store.archive(flagKey, { ...ARCHIVER, expectedVersion: 2 });
    const fromScratch = store.put(flagDocument(flagKey, 1), { expectedVersion: 0 });
    await expect(fromScratch).rejects.toThrow(VersionConflictError);
    await expect(fromScratch).rejects.toThrow(/history ends at version 3, not 0: write it with expectedVersion 3/);
    const recreated = await store.put(flagDocument(flagKey, 4), { expectedVersion: 3 });
    expect(recreated).toMatchObject({ version: 4, kind: 'change' });
    expect(await store.get(flagKey)).toMatchObject({ version: 4 });
  });

  test('the validator restoring a rejected re-creation leaves the flag archived (removed, not written back)', async () => {
    const flagKey = await flagWithVersions('rejected-recreation', [{}]);
    const { document: tombstone } = await store.archive(flagKey, { ...ARCHIVER, expectedVersion: 1 });
    await store.put(flagDocument(flagKey, 3), { expectedVersion: 2 });
    const restored = await store.restore(flagKey, { rejectedVersion: 3, previous: tombstone });
    expect(restored).toEqual({ outcome: 'removed' });
    expect(await store.currentRecord(flagKey)).toBeNull();
    expect(await store.latestVersion(flagKey)).toBe(3);
  });

  test('an archive that failed verification is not rolled back (that would undo it), nor rolled back to', async () => {
    const flagKey = await flagWithVersions('archive-rollback', [{}]);
    await Promise.all(REGIONS.map((region) => store.recordVerification(flagKey, region, 1)));
    await store.archive(flagKey, { ...ARCHIVER, expectedVersion: 1 });
    expect(await store.rollback(flagKey, { badVersion: 2, regions: REGIONS })).toMatchObject({
      outcome: 'bad-version-is-archive',
    });
    // The archive verified everywhere, then a re-creation failed: known good is "no flag", which only an archive says.
    await Promise.all(REGIONS.map((region) => store.recordVerification(flagKey, region, 2)));
    await store.put(flagDocument(flagKey, 3), { expectedVersion: 2 });
    expect(await store.rollback(flagKey, { badVersion: 3, regions: REGIONS })).toEqual({ outcome: 'no-known-good' });
    expect(await store.get(flagKey)).toMatchObject({ version: 3 });
  });
});
