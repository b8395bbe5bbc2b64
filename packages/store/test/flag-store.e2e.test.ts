import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  createFlagStore,
  FlagDocument,
  FlagDocumentTooLargeError,
  FlagStore,
  InvalidFlagInputError,
  InvalidFlagKeyError,
  InvalidRegionError,
  isRollback,
  MAX_INDEXED_PREREQUISITES,
  VersionConflictError,
  VersionNotReachedError,
} from '../src';
import { REGIONS, flagDocument, uniqueFlagKey, useLocalFlagTable } from './local-table';

const table = useLocalFlagTable();
let store: FlagStore;
beforeAll(() => {
  const { documentClient, tableName } = table();
  store = createFlagStore({ client: documentClient, tableName, now: () => new Date('2025-06-01T12:00:00.000Z') });
});

/** Writes versions 1..count of a new flag and returns its key. */
async function flagWithVersions(label: string, count: number): Promise<string> {
  const flagKey = uniqueFlagKey(label);
  for (let version = 1; version <= count; version++) {
    await store.put(flagDocument(flagKey, version), { expectedVersion: version - 1 });
  }
  return flagKey;
}

async function verifyEverywhere(flagKey: string, version: number, regions = REGIONS): Promise<void> {
  await Promise.all(regions.map((region) => store.recordVerification(flagKey, region, version)));
}

describe('put: optimistic concurrency', () => {
  test('creates a flag at version 1 and keeps every version in history, newest first', async () => {
    const flagKey = await flagWithVersions('history', 3);
    expect(await store.get(flagKey)).toMatchObject({ flagKey, version: 3, kind: 'change', value: false });
    expect((await store.history(flagKey)).map((document) => document.version)).toEqual([3, 2, 1]);
    expect((await store.history(flagKey, { limit: 2 })).map((document) => document.version)).toEqual([3, 2]);
    expect(await store.getVersion(flagKey, 2)).toMatchObject({ version: 2, value: true });
    expect(await store.latestVersion(flagKey)).toBe(3);
  });

  test('an absent flag reads as null with latest version 0', async () => {
    const flagKey = uniqueFlagKey('absent');
    expect(await store.get(flagKey)).toBeNull();
    expect(await store.getVersion(flagKey, 1)).toBeNull();
    expect(await store.history(flagKey)).toEqual([]);
    expect(await store.latestVersion(flagKey)).toBe(0);
  });

  test('a stale expectedVersion fails with a VersionConflictError naming the current version', async () => {
    const flagKey = await flagWithVersions('stale', 2);
    const attempt = store.put(flagDocument(flagKey, 2), { expectedVersion: 1 });
    await expect(attempt).rejects.toThrow(VersionConflictError);
    await expect(attempt).rejects.toMatchObject({ latestVersion: 2, exists: true });
    await expect(attempt).rejects.toThrow(/is at version 2, not 1/);
    expect(await store.get(flagKey)).toMatchObject({ version: 2 });
  });

  test('creating a flag that already exists is a conflict, not an overwrite', async () => {
    const flagKey = await flagWithVersions('exists', 1);
    await expect(store.put(flagDocument(flagKey, 1, 'other'), { expectedVersion: 0 })).rejects.toThrow(
      VersionConflictError,
    );
    expect(await store.get(flagKey)).toMatchObject({ version: 1, value: false });
  });

  test('of concurrent writers on the same version exactly one wins', async () => {
    const flagKey = await flagWithVersions('writers', 1);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) =>
        store.put(flagDocument(flagKey, 2, `writer-${writer}`), { expectedVersion: 1 }),
      ),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    }
    const winner = (won[0] as PromiseFulfilledResult<FlagDocument>).value;
    expect(await store.get(flagKey)).toEqual(winner);
    expect(await store.getVersion(flagKey, 2)).toEqual(winner);
  });

  test('a plain change never carries rollback markers over from the document it was edited from', async () => {
    const flagKey = await flagWithVersions('markers', 1);
    const edited = { ...flagDocument(flagKey, 2), kind: 'rollback' as const, rollbackOf: 1, sourceVersion: 1 };
    const stored = await store.put(edited, { expectedVersion: 1 });
    expect(stored.kind).toBe('change');
    expect(stored).not.toHaveProperty('rollbackOf');
    expect(isRollback(stored)).toBe(false);
  });
});

describe('put: malformed input is refused before DynamoDB', () => {
  test('a bad flag key', async () => {
    await expect(
      store.put({ ...flagDocument('x', 1), flagKey: 'Checkout V2' }, { expectedVersion: 0 }),
    ).rejects.toThrow(InvalidFlagKeyError);
    await expect(store.get('Checkout V2')).rejects.toThrow(/must match/);
  });

  test('a non-integer or mismatched version', async () => {
    const flagKey = uniqueFlagKey('version');
    await expect(store.put(flagDocument(flagKey, 1.5), { expectedVersion: 0 })).rejects.toThrow(InvalidFlagInputError);
    await expect(
      store.put({ ...flagDocument(flagKey, 1), version: '1' } as never, { expectedVersion: 0 }),
    ).rejects.toThrow(/must be an integer/);
    await expect(store.put(flagDocument(flagKey, 3), { expectedVersion: 0 })).rejects.toThrow(
      /expectedVersion \+ 1 = 1/,
    );
    await expect(store.put(flagDocument(flagKey, 1), { expectedVersion: -1 })).rejects.toThrow(
      /expectedVersion must be/,
    );
    expect(await store.latestVersion(flagKey)).toBe(0);
  });

  test('a document above 350 KB, with a message that says what to do', async () => {
    const flagKey = uniqueFlagKey('oversize');
    const oversize = flagDocument(flagKey, 1, 'x'.repeat(360 * 1024));
    await expect(store.put(oversize, { expectedVersion: 0 })).rejects.toThrow(FlagDocumentTooLargeError);
    await expect(store.put(oversize, { expectedVersion: 0 })).rejects.toThrow(/store a reference instead/);
    // Just under the limit is accepted: the check is not a stricter, different one.
    await store.put(flagDocument(flagKey, 1, 'x'.repeat(340 * 1024)), { expectedVersion: 0 });
    expect(await store.latestVersion(flagKey)).toBe(1);
  });
});

describe('restore: undoing a rejected change', () => {
  test('writes the previous document back as a new version, once, when 12 regions race', async () => {
    const flagKey = await flagWithVersions('restore-race', 2);
    const previous = (await store.getVersion(flagKey, 1)) as FlagDocument;
    const results = await Promise.all(
      REGIONS.map(() => store.restore(flagKey, { rejectedVersion: 2, previous, correlationId: 'validator-run' })),
    );
    expect(results.filter((result) => result.outcome === 'restored')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'already-handled')).toHaveLength(11);
    expect(results).toContainEqual({ outcome: 'already-handled', currentVersion: 3 });

    const current = await store.get(flagKey);
    expect(current).toMatchObject({
      version: 3,
      kind: 'restore',
      restoreOf: 2,
      sourceVersion: 1,
      value: previous.value,
      changedBy: 'ffc-validator',
      correlationId: 'validator-run',
    });
    expect((await store.history(flagKey)).map((document) => document.version)).toEqual([3, 2, 1]);
  });

  test('a rejected creation removes the flag once; re-creating it continues above the old versions', async () => {
    const flagKey = await flagWithVersions('restore-create', 1);
    const results = await Promise.all(REGIONS.map(() => store.restore(flagKey, { rejectedVersion: 1 })));
    expect(results.filter((result) => result.outcome === 'removed')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'already-handled')).toHaveLength(11);
    expect(await store.get(flagKey)).toBeNull();

    const reuse = store.put(flagDocument(flagKey, 1), { expectedVersion: 0 });
    await expect(reuse).rejects.toMatchObject({ latestVersion: 1, exists: false });
    await expect(reuse).rejects.toThrow(/write it with expectedVersion 1/);
    await expect(store.put(flagDocument(flagKey, 3), { expectedVersion: 2 })).rejects.toThrow(VersionConflictError);
    await store.put(flagDocument(flagKey, 2), { expectedVersion: 1 });
    expect(await store.get(flagKey)).toMatchObject({ version: 2, kind: 'change' });
  });

  test('never overwrites a newer change', async () => {
    const flagKey = await flagWithVersions('restore-newer', 3);
    const previous = (await store.getVersion(flagKey, 1)) as FlagDocument;
    expect(await store.restore(flagKey, { rejectedVersion: 2, previous })).toEqual({
      outcome: 'already-handled',
      currentVersion: 3,
    });
    expect(await store.get(flagKey)).toMatchObject({ version: 3, kind: 'change' });
  });

  test('refuses a version this table has not reached and a previous document of another flag', async () => {
    const flagKey = await flagWithVersions('restore-ahead', 1);
    const previous = (await store.getVersion(flagKey, 1)) as FlagDocument;
    await expect(store.restore(flagKey, { rejectedVersion: 5, previous })).rejects.toThrow(VersionNotReachedError);
    await expect(
      store.restore(flagKey, { rejectedVersion: 2, previous: { ...previous, flagKey: 'another-flag' } }),
    ).rejects.toThrow(/earlier version of/);
  });
});

describe('verification facts and last known good', () => {
  test('a region verification never goes down', async () => {
    const flagKey = await flagWithVersions('verify-monotonic', 3);
    expect(await store.recordVerification(flagKey, 'eu-west-1', 3)).toEqual({
      outcome: 'recorded',
      verifiedVersion: 3,
    });
    expect(await store.recordVerification(flagKey, 'eu-west-1', 2)).toEqual({
      outcome: 'not-newer',
      verifiedVersion: 3,
    });
    expect(await store.recordVerification(flagKey, 'eu-west-1', 3)).toEqual({
      outcome: 'not-newer',
      verifiedVersion: 3,
    });
    expect(await store.verifiedVersions(flagKey, ['eu-west-1', 'us-east-1'])).toEqual({
      'eu-west-1': 3,
      'us-east-1': 0,
    });
  });

  test('out-of-order verifications of one region settle on the highest', async () => {
    const flagKey = await flagWithVersions('verify-order', 6);
    await Promise.all([6, 2, 5, 1, 3, 4].map((version) => store.recordVerification(flagKey, 'us-west-2', version)));
    expect(await store.verifiedVersions(flagKey, ['us-west-2'])).toEqual({ 'us-west-2': 6 });
  });

  test('is the highest version verified in every region, not the previous version', async () => {
    const flagKey = await flagWithVersions('lkg-lagging', 4);
    await verifyEverywhere(flagKey, 2);
    await verifyEverywhere(flagKey, 3, REGIONS.slice(1)); // us-east-1 still lags at version 2
    expect(await store.lastKnownGood(flagKey, REGIONS)).toMatchObject({ version: 2 });
    await store.recordVerification(flagKey, 'us-east-1', 3);
    expect(await store.lastKnownGood(flagKey, REGIONS)).toMatchObject({ version: 3 });
  });

  test('is null while some region has verified nothing', async () => {
    const flagKey = await flagWithVersions('lkg-none', 2);
    await verifyEverywhere(flagKey, 1, REGIONS.slice(1));
    expect(await store.lastKnownGood(flagKey, REGIONS)).toBeNull();
    expect(await store.lastKnownGood(flagKey, REGIONS.slice(1))).toMatchObject({ version: 1 });
  });

  test('a fact written outside the store that is not a stored version ("0x10", -1, 2.5) proves nothing', async () => {
    const flagKey = await flagWithVersions('verify-forged', 2);
    const { documentClient, tableName } = table();
    const forged = { 'us-east-1': '0x2', 'eu-west-1': -1, 'us-west-2': 2.5, 'eu-central-1': 2 };
    for (const [region, verifiedVersion] of Object.entries(forged)) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `FLAG#${flagKey}`, sk: `VERIFIED#${region}`, verifiedVersion },
        }),
      );
    }
    expect(await store.verifiedVersions(flagKey, Object.keys(forged))).toEqual({
      'us-east-1': 0,
      'eu-west-1': 0,
      'us-west-2': 0,
      'eu-central-1': 2,
    });
  });

  test('refuses bad regions', async () => {
    const flagKey = uniqueFlagKey('regions');
    await expect(store.recordVerification(flagKey, 'Europe', 1)).rejects.toThrow(InvalidRegionError);
    await expect(store.lastKnownGood(flagKey, [])).rejects.toThrow(/at least one region/);
  });
});

describe('publication facts', () => {
  test('a region records each published version once; an older or repeated one is not newer', async () => {
    const flagKey = await flagWithVersions('published', 3);
    expect(await store.publishedVersion(flagKey, 'eu-west-1')).toBe(0);
    const results = await Promise.all(
      [2, 3, 1, 3].map((version) => store.recordPublication(flagKey, 'eu-west-1', version)),
    );
    expect(results.filter((result) => result.outcome === 'recorded').length).toBeGreaterThanOrEqual(1);
    expect(await store.publishedVersion(flagKey, 'eu-west-1')).toBe(3);
    expect(await store.recordPublication(flagKey, 'eu-west-1', 2)).toEqual({
      outcome: 'not-newer',
      publishedVersion: 3,
    });
    // Regions never share the item: another region has published nothing.
    expect(await store.publishedVersion(flagKey, 'us-east-1')).toBe(0);
  });

  test('refuses versions that cannot exist and bad regions', async () => {
    const flagKey = uniqueFlagKey('published-bad');
    for (const version of [0, -1, 1.5, '2' as never]) {
      await expect(store.recordPublication(flagKey, 'eu-west-1', version)).rejects.toThrow(InvalidFlagInputError);
    }
    await expect(store.recordPublication(flagKey, 'Europe', 1)).rejects.toThrow(InvalidRegionError);
  });
});

describe('rollback: writing last known good back over a version that failed verification', () => {
  test('records the region that wrote it; a later attempt is told what is current, so it can finish its audit', async () => {
    const flagKey = await flagWithVersions('rollback-region', 2);
    await verifyEverywhere(flagKey, 1);
    const first = await store.rollback(flagKey, { badVersion: 2, regions: REGIONS, region: 'eu-west-1' });
    expect(first).toMatchObject({ outcome: 'rolled-back', document: { version: 3, writtenIn: 'eu-west-1' } });
    expect(await store.rollback(flagKey, { badVersion: 2, regions: REGIONS, region: 'us-east-1' })).toMatchObject({
      outcome: 'already-handled',
      currentVersion: 3,
      document: { version: 3, writtenIn: 'eu-west-1' },
    });
    await expect(store.rollback(flagKey, { badVersion: 2, regions: REGIONS, region: 'Europe' })).rejects.toThrow(
      InvalidRegionError,
    );
    // An operator's change edited from the rollback does not carry the bookkeeping over.
    const edited = await store.put({ ...(await store.get(flagKey))!, version: 4 }, { expectedVersion: 3 });
    expect(edited.writtenIn).toBeUndefined();
  });

  test('12 concurrent rollbacks collapse into one', async () => {
    const flagKey = await flagWithVersions('rollback-race', 4);
    await verifyEverywhere(flagKey, 2);
    await verifyEverywhere(flagKey, 3, REGIONS.slice(3));
    const results = await Promise.all(
      REGIONS.map(() => store.rollback(flagKey, { badVersion: 4, regions: REGIONS, correlationId: 'verification-9' })),
    );
    expect(results.filter((result) => result.outcome === 'rolled-back')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'already-handled')).toHaveLength(11);

    const current = (await store.get(flagKey)) as FlagDocument;
    expect(current).toMatchObject({ version: 5, kind: 'rollback', rollbackOf: 4, sourceVersion: 2, value: true });
    expect(current).toMatchObject({ changedBy: 'ffc-rollback', changedAt: '2025-06-01T12:00:00.000Z' });
    expect(isRollback(current)).toBe(true);
    expect((await store.history(flagKey)).map((document) => document.version)).toEqual([5, 4, 3, 2, 1]);
  });

  test('never overwrites a newer change', async () => {
    const flagKey = await flagWithVersions('rollback-newer', 3);
    await verifyEverywhere(flagKey, 1);
    expect(await store.rollback(flagKey, { badVersion: 2, regions: REGIONS })).toEqual({
      outcome: 'superseded',
      currentVersion: 3,
    });
    expect(await store.get(flagKey)).toMatchObject({ version: 3, kind: 'change' });
  });

  test('a newer change racing the rollback wins or loses cleanly, never both', async () => {
    const flagKey = await flagWithVersions('rollback-vs-change', 2);
    await verifyEverywhere(flagKey, 1);
    const [rollback, change] = await Promise.allSettled([
      store.rollback(flagKey, { badVersion: 2, regions: REGIONS }),
      store.put(flagDocument(flagKey, 3, 'operator'), { expectedVersion: 2 }),
    ]);
    const current = (await store.get(flagKey)) as FlagDocument;
    expect(current.version).toBe(3);
    if (change.status === 'fulfilled') {
      expect(rollback).toMatchObject({ status: 'fulfilled', value: { outcome: 'superseded', currentVersion: 3 } });
      expect(current.value).toBe('operator');
    } else {
      expect(change.reason).toBeInstanceOf(VersionConflictError);
      expect(rollback).toMatchObject({ status: 'fulfilled', value: { outcome: 'rolled-back' } });
      expect(current.kind).toBe('rollback');
    }
  });

  test('without a version verified in every region it reports no-known-good and writes nothing', async () => {
    const flagKey = await flagWithVersions('rollback-unknown', 2);
    await verifyEverywhere(flagKey, 1, REGIONS.slice(1));
    expect(await store.rollback(flagKey, { badVersion: 2, regions: REGIONS })).toEqual({ outcome: 'no-known-good' });
    expect(await store.latestVersion(flagKey)).toBe(2);
  });

  test('a bad version that was itself verified everywhere is not its own known good', async () => {
    const flagKey = await flagWithVersions('rollback-self', 2);
    await verifyEverywhere(flagKey, 2);
    expect(await store.rollback(flagKey, { badVersion: 2, regions: REGIONS })).toEqual({ outcome: 'no-known-good' });
  });

  test('a rollback that fails verification is not rolled back again', async () => {
    const flagKey = await flagWithVersions('rollback-twice', 2);
    await verifyEverywhere(flagKey, 1);
    await store.rollback(flagKey, { badVersion: 2, regions: REGIONS });
    const result = await store.rollback(flagKey, { badVersion: 3, regions: REGIONS });
    expect(result).toMatchObject({ outcome: 'bad-version-is-rollback', document: { version: 3, rollbackOf: 2 } });
    expect(await store.latestVersion(flagKey)).toBe(3);
  });

  test('a bad version this table has not reached yet is an error to retry, not a silent success', async () => {
    const flagKey = await flagWithVersions('rollback-ahead', 1);
    await expect(store.rollback(flagKey, { badVersion: 2, regions: REGIONS })).rejects.toThrow(VersionNotReachedError);
  });
});

describe('versions only go up', () => {
  test('across changes, restores and rollbacks every write is one above the last', async () => {
    const flagKey = await flagWithVersions('monotonic', 2);
    await verifyEverywhere(flagKey, 2);
    const change3 = await store.put(flagDocument(flagKey, 3), { expectedVersion: 2 });
    const version2 = (await store.getVersion(flagKey, 2)) as FlagDocument;
    await store.restore(flagKey, { rejectedVersion: 3, previous: version2 });
    await store.put(flagDocument(flagKey, 5), { expectedVersion: 4 });
    await store.rollback(flagKey, { badVersion: 5, regions: REGIONS });
    const versions = (await store.history(flagKey)).map((document) => `${document.version}:${document.kind}`);
    expect(versions).toEqual(['6:rollback', '5:change', '4:restore', '3:change', '2:change', '1:change']);
    // Late duplicates of older writes cannot land after newer ones.
    await expect(store.put(change3, { expectedVersion: 2 })).rejects.toThrow(VersionConflictError);
    await expect(store.restore(flagKey, { rejectedVersion: 3, previous: version2 })).resolves.toMatchObject({
      outcome: 'already-handled',
    });
    expect(await store.latestVersion(flagKey)).toBe(6);
  });
});

describe('dependents: the reverse index of prerequisites', () => {
  const needing = (flagKey: string, version: number, prerequisites: readonly string[]) => ({
    ...flagDocument(flagKey, version),
    prerequisites: prerequisites.map((key) => ({ flagKey: key, value: true })),
  });
  const keysOf = (documents: readonly FlagDocument[]) => documents.map((d) => d.flagKey).sort();

  test('a flag naming another as prerequisite is its dependent until a later version drops it', async () => {
    const base = uniqueFlagKey('base');
    const [first, second] = [uniqueFlagKey('dep-a'), uniqueFlagKey('dep-b')];
    await store.put(flagDocument(base, 1), { expectedVersion: 0 });
    expect(await store.dependents(base)).toEqual([]);

    // Named twice in one list: one edge.
    await store.put(needing(first, 1, [base, base]), { expectedVersion: 0 });
    await store.put(needing(second, 1, [base]), { expectedVersion: 0 });
    expect(keysOf(await store.dependents(base))).toEqual([first, second].sort());

    await store.put(needing(first, 2, []), { expectedVersion: 1 });
    expect(keysOf(await store.dependents(base))).toEqual([second]);
    // The answer is the dependent's current document, not the version that wrote the edge.
    await store.put(needing(second, 2, [base]), { expectedVersion: 1 });
    expect((await store.dependents(base)).map((d) => d.version)).toEqual([2]);
  });

  test('an archived dependent depends on nothing; a restore writes the edges of what it restores', async () => {
    const base = uniqueFlagKey('base');
    const dependent = uniqueFlagKey('dep');
    await store.put(needing(dependent, 1, [base]), { expectedVersion: 0 });
    await store.archive(dependent, { expectedVersion: 1, changedBy: 'alice', reason: 'retired' });
    expect(await store.dependents(base)).toEqual([]);

    const other = uniqueFlagKey('other');
    await store.put(needing(other, 1, []), { expectedVersion: 0 });
    await store.put(needing(other, 2, [base]), { expectedVersion: 1 });
    // Version 2 rejected: the restored version 1 names no prerequisite, so `other` is no dependent.
    await store.restore(other, { rejectedVersion: 2, previous: needing(other, 1, []) });
    expect(await store.dependents(base)).toEqual([]);
  });

  test('more prerequisites than one transaction can index is a clear error, and nothing is written', async () => {
    const flagKey = uniqueFlagKey('wide');
    const many = Array.from({ length: MAX_INDEXED_PREREQUISITES + 1 }, (_, i) => `wide-prerequisite-${i}`);
    await expect(store.put(needing(flagKey, 1, many), { expectedVersion: 0 })).rejects.toThrow(
      new InvalidFlagInputError(
        `flag '${flagKey}' names ${many.length} distinct prerequisites; the store indexes at most 90 (one transaction holds 100 items)`,
      ),
    );
    expect(await store.latestVersion(flagKey)).toBe(0);
  });
});
