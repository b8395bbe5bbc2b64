import {
  FlagChange,
  FlagTableReader,
  InvalidChangePolicyError,
  StagePolicyInput,
  StoredFlagDocument,
  archiveChangeOf,
  exampleChange,
  parseChangePolicy,
  parseChangePolicyJson,
  serviceCatalogue,
  validateChange,
  validationContextFromStore,
} from '../src';

const HOUR = 3_600_000;
const T0 = Date.now();
const iso = (offset: number) => new Date(T0 + offset).toISOString();
const policy: StagePolicyInput = {
  stage: 'qa',
  production: false,
  catalogue: serviceCatalogue,
  regions: ['eu-west-1'],
};

/** A flag table in memory: the current documents, every version, and which regions verified what. */
function memoryTable(documents: readonly StoredFlagDocument[], lastKnownGood: Record<string, number> = {}) {
  const reads: string[] = [];
  const versionReads: string[] = [];
  const lkgRegions: (readonly string[])[] = [];
  const byKey = (key: string) => documents.filter((d) => d.flagKey === key).sort((a, b) => b.version - a.version);
  const reader: FlagTableReader = {
    get: async (key) => (reads.push(key), byKey(key)[0] ?? null),
    getVersion: async (key, version) => (
      versionReads.push(`${key}@${version}`),
      byKey(key).find((d) => d.version === version) ?? null
    ),
    history: async (key, { limit }) => byKey(key).slice(0, limit),
    lastKnownGood: async (key, regions) => (
      lkgRegions.push(regions),
      byKey(key).find((d) => d.version === lastKnownGood[key]) ?? null
    ),
    dependents: async () => [],
  };
  return { reader, reads, versionReads, lkgRegions };
}

const needing = (flagKey: string, keys: readonly string[], overrides: Partial<FlagChange> = {}) =>
  exampleChange({ flagKey, prerequisites: keys.map((key) => ({ flagKey: key, value: true })), ...overrides });

describe('validationContextFromStore', () => {
  test('reads each prerequisite flag once, however often the change lists it', async () => {
    const { reader, reads } = memoryTable([]);
    const change = exampleChange({
      prerequisites: Array.from({ length: 1000 }, (_, i) => ({ flagKey: `base-${i % 3}`, value: true })),
    });
    const context = await validationContextFromStore(reader, change, undefined, policy);
    expect(reads.sort()).toEqual(['base-0', 'base-1', 'base-2']);
    expect(context.prerequisites.size).toBe(0);
  });

  test('loads the chain transitively: a three-hop cycle back to the changed flag is refused (FFC-PREREQ-006)', async () => {
    // me -> a -> b -> me
    const { reader, reads } = memoryTable([needing('alpha-flag', ['beta-flag']), needing('beta-flag', ['me-flag'])]);
    const change = needing('me-flag', ['alpha-flag']);
    const context = await validationContextFromStore(reader, change, undefined, policy);
    expect([...context.prerequisites.keys()].sort()).toEqual(['alpha-flag', 'beta-flag']);
    // The changed flag is never read as its own prerequisite: the change replaces it.
    expect(reads).toEqual(['alpha-flag', 'beta-flag']);
    expect(validateChange(change, context).violations.map((v) => v.ruleId)).toContain('FFC-PREREQ-006');
  });

  test('createdAt is the first version’s changedAt, or after an archive the version that re-created the key', async () => {
    const v = (version: number, hoursAgo: number, kind = 'change') =>
      exampleChange({ version, changedAt: iso(-hoursAgo * HOUR), kind: kind as never });
    const plain = memoryTable([v(1, 30), v(2, 20), v(3, 10)]);
    const current = v(3, 10);
    const first = await validationContextFromStore(plain.reader, v(4, 0), current, policy);
    expect(first.createdAt).toBe(Date.parse(v(1, 30).changedAt));
    expect(plain.versionReads).toEqual([]);

    const recreated = memoryTable([v(1, 30), v(2, 20, 'archive'), v(3, 10)]);
    const again = await validationContextFromStore(recreated.reader, v(4, 0), current, policy);
    expect(again.createdAt).toBe(Date.parse(v(3, 10).changedAt));
  });

  test('createdAt reads version 1 only when the recent history does not reach back to it', async () => {
    const documents = Array.from({ length: 60 }, (_, i) =>
      exampleChange({ version: i + 1, changedAt: iso((i - 100) * HOUR) }),
    );
    const { reader, versionReads } = memoryTable(documents);
    const context = await validationContextFromStore(reader, exampleChange({ version: 61 }), documents[59], policy);
    expect(versionReads).toEqual(['checkout-one-click@1']);
    expect(context.createdAt).toBe(Date.parse(documents[0].changedAt));
  });

  test('last known good is the version verified in every region of the policy; a new flag has none', async () => {
    const v1 = exampleChange({ version: 1, value: true, changedAt: iso(-2 * HOUR) });
    const v2 = exampleChange({ version: 2, value: false, changedAt: iso(-HOUR) });
    const { reader, lkgRegions } = memoryTable([v1, v2], { 'checkout-one-click': 1 });
    const regions = ['eu-west-1', 'us-east-1'];
    const context = await validationContextFromStore(reader, exampleChange({ version: 3 }), v2, { ...policy, regions });
    expect(context.lastKnownGood).toMatchObject({ version: 1, value: true });
    expect(lkgRegions).toEqual([regions]);
    const created = await validationContextFromStore(memoryTable([]).reader, exampleChange(), undefined, policy);
    expect(created.lastKnownGood).toBeUndefined();
  });

  test('the reader’s dependents, and the stage’s windows, freezes and time zone, reach the context', async () => {
    const { reader } = memoryTable([]);
    const dependent = needing('checkout-express', ['checkout-one-click']);
    const freezes = [{ from: iso(-HOUR), to: iso(HOUR), reason: 'Black Friday' }];
    const changeWindows = [{ days: ['fri' as const], start: '22:00', end: '02:00' }];
    const context = await validationContextFromStore(
      { ...reader, dependents: async () => [dependent] },
      exampleChange(),
      undefined,
      { ...policy, production: true, freezes, changeWindows, timeZone: 'Europe/Berlin' },
      { archiving: true },
    );
    expect(context.dependents).toEqual([dependent]);
    expect(context.policy).toMatchObject({ production: true, freezes, changeWindows, timeZone: 'Europe/Berlin' });
    expect(context.archiving).toBe(true);
  });
});

describe('archiveChangeOf', () => {
  test('judges the archived content at the archive’s version, by the archive’s author and instant', () => {
    const current = exampleChange({ version: 4, changedBy: 'alice', kind: 'restore' });
    const archive = {
      flagKey: current.flagKey,
      version: 5,
      kind: 'archive',
      changedBy: 'bob',
      changedAt: iso(0),
      reason: 'Rolled out everywhere',
    };
    expect(archiveChangeOf(archive, current)).toEqual({
      ...current,
      kind: 'change',
      version: 5,
      changedBy: 'bob',
      changedAt: archive.changedAt,
      reason: 'Rolled out everywhere',
    });
  });

  test('an unreadable archived document leaves nothing to judge', () => {
    const unreadable = { flagKey: 'x-flag', version: 1, type: 'nope' };
    expect(archiveChangeOf({ flagKey: 'x-flag', version: 2 }, unreadable)).toBeUndefined();
  });
});

describe('parseChangePolicy: a stage’s windows and freezes as its configuration declares them', () => {
  test('reads a full policy and defaults what is left out', () => {
    const declared = {
      timeZone: 'America/New_York',
      changeWindows: [{ days: ['mon', 'tue'], start: '22:00', end: '02:00' }],
      freezes: [{ from: '2026-11-27T00:00:00Z', to: '2026-11-30T00:00:00Z', reason: 'Black Friday' }],
    };
    expect(parseChangePolicy(declared, 'policy.json')).toEqual(declared);
    expect(parseChangePolicyJson('{}', 'policy.json')).toEqual({ timeZone: 'UTC', changeWindows: [], freezes: [] });
  });

  test.each([
    ['[]', /policy.json: the change policy must be an object/],
    ['{"freeze": []}', /unknown field\(s\) freeze: use timeZone, changeWindows, freezes/],
    [
      '{"freezes": [{"from": "next friday", "to": "2026-11-30T00:00:00Z", "reason": "x"}]}',
      /must be \{ from, to, reason \}/,
    ],
    ['{"freezes": [{"from": "2026-11-30T00:00:00Z", "to": "2026-11-27T00:00:00Z", "reason": "x"}]}', /from before to/],
    ['{"changeWindows": [{"days": [], "start": "09:00", "end": "17:00"}]}', /has 'no days'/],
    ['{"timeZone": "CET+1"}', /not an IANA time zone/],
    ['{"timeZone": ', /policy.json: not JSON/],
  ])('refuses %s, saying what to write', (text, message) => {
    expect(() => parseChangePolicyJson(text, 'policy.json')).toThrow(InvalidChangePolicyError);
    expect(() => parseChangePolicyJson(text, 'policy.json')).toThrow(message);
  });
});
