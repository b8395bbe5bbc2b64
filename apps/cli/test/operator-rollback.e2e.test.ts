import { randomBytes } from 'node:crypto';
import { AuditEvent } from '@ffc/audit';
import { platformChange } from '@ffc/rules';
import { FlagStore } from '@ffc/store';
import { useFlagTable } from './support/flag-table';
import { setChange } from '../src/commands/set';
import { RollbackRefusedError, operatorRollback } from '../src/operator/rollback';
import { StageTarget } from '../src/operator/target';

/**
 * Every refusal of `ffc rollback`, each against the real flag table (DynamoDB Local): the refusal names the
 * reason, and nothing is written — no version, no audit event. A refusal that let the write through would
 * show as a new version here, so each test fails when its guard is removed.
 */
const stage = `r${randomBytes(3).toString('hex')}`;
const REGIONS = ['eu-west-1', 'us-east-1'];
const table = useFlagTable(stage);
const store = () => table().store;
let recorded: AuditEvent[];
let n = 0;

beforeEach(() => {
  recorded = [];
});

/** The operator's view of the table; the audit history is empty, so only the table's verifications count. */
function targetOf(flagStore: FlagStore = store()): StageTarget {
  return {
    stage,
    where: 'local',
    regions: REGIONS,
    store: flagStore,
    audit: {
      history: async () => [],
      record: async (events) => {
        recorded.push(...events);
        return { delivered: true, detail: 'recorded by the test' };
      },
    },
    listFlags: async () => [],
    close: async () => undefined,
  };
}

const set = (flagKey: string, value: boolean, reason: string) =>
  setChange(
    store(),
    { ...platformChange(flagKey, 'Rollback test flag for every service'), value, reason },
    'test change',
    { stage },
  );

/** A flag with `versions` changes, alternating off and on; `verified[i]` lists the regions version i+1 passed in. */
async function flagWith(verified: readonly (readonly string[])[]): Promise<string> {
  const flagKey = `rollback-${Date.now().toString(36)}-${++n}`;
  for (const [i, regions] of verified.entries()) {
    await set(flagKey, i % 2 === 1, `step ${i + 1}`);
    for (const region of regions) await store().recordVerification(flagKey, region, i + 1);
  }
  return flagKey;
}

/** The store, but a newer change of `flagKey` is written just before each call of `method` answers. */
function writingMeanwhile(flagKey: string, method: 'lastKnownGood' | 'getVersion'): FlagStore {
  const real = store();
  const racing = async (...args: unknown[]) => {
    await set(flagKey, true, 'a newer change');
    return (real[method] as (...a: unknown[]) => Promise<unknown>)(...args);
  };
  return { ...real, [method]: racing };
}

/** Expects the rollback refused with `message`, and the flag still at `version` with nothing audited. */
async function expectRefused(
  flagKey: string,
  request: { to?: number; force?: boolean },
  message: RegExp,
  version: number,
  target = targetOf(),
) {
  const attempt = operatorRollback(target, { flagKey, reason: 'test', actor: 'alice', ...request });
  await expect(attempt).rejects.toThrow(RollbackRefusedError);
  await expect(attempt).rejects.toThrow(message);
  expect(await store().latestVersion(flagKey)).toBe(version);
  expect(recorded).toEqual([]);
}

describe('ffc rollback refuses, and writes nothing', () => {
  test('without a last known good: no version is verified in every region', async () => {
    const flagKey = await flagWith([['eu-west-1']]);
    await expectRefused(
      flagKey,
      {},
      /no version of '.*' is verified in every region, so there is no last known good/,
      1,
    );
  });

  test('when the current version is last known good already', async () => {
    const flagKey = await flagWith([REGIONS]);
    await expectRefused(flagKey, {}, /version 1 of '.*' is already last known good/, 1);
  });

  test('to the current version or a later one', async () => {
    const flagKey = await flagWith([REGIONS, []]);
    await expectRefused(flagKey, { to: 2 }, /is at version 2: --to must name an earlier version, got 2/, 2);
    await expectRefused(flagKey, { to: 3 }, /--to must name an earlier version, got 3/, 2);
  });

  test('to a version never verified in every region, unless --force', async () => {
    const flagKey = await flagWith([REGIONS, ['eu-west-1'], []]);
    await expectRefused(
      flagKey,
      { to: 2 },
      /version 2 of '.*' was never verified in us-east-1: roll back to last known good \(version 1\)/,
      3,
    );
    const forced = await operatorRollback(targetOf(), { flagKey, to: 2, force: true, reason: 'test', actor: 'alice' });
    expect(forced).toMatchObject({
      outcome: 'rolled-back',
      fromVersion: 3,
      toVersion: 4,
      sourceVersion: 2,
      path: 'change',
    });
    expect(forced.warnings).toEqual(['version 2 was never verified in us-east-1 (--force)']);
  });

  test("by default, of the connector's own rollback", async () => {
    const flagKey = await flagWith([REGIONS, []]);
    await operatorRollback(targetOf(), { flagKey, reason: 'v2 is bad', actor: 'alice' });
    expect(await store().get(flagKey)).toMatchObject({ version: 3, kind: 'rollback', rollbackOf: 2, sourceVersion: 1 });
    recorded = [];
    await expectRefused(
      flagKey,
      {},
      /version 3 of '.*' is the connector's rollback of v2 to the content of v1: .* --to/,
      3,
    );
  });

  test('to last known good, when a newer change was written meanwhile (it is never overwritten)', async () => {
    const flagKey = await flagWith([REGIONS, []]);
    // The newer change lands between the operator's read of v2 and the conditional rollback write.
    const racing = writingMeanwhile(flagKey, 'lastKnownGood');
    await expectRefused(
      flagKey,
      {},
      /moved on to version 3 while this rollback was prepared: nothing written/,
      3,
      targetOf(racing),
    );
    expect(await store().get(flagKey)).toMatchObject({ version: 3, kind: 'change', reason: 'a newer change' });
  });

  test('to a chosen version, when a newer change was written meanwhile (it is never overwritten)', async () => {
    const flagKey = await flagWith([REGIONS, ['eu-west-1'], []]);
    const racing = writingMeanwhile(flagKey, 'getVersion');
    // The rollback is a change conditional on v3, the version the operator saw.
    await expectRefused(
      flagKey,
      { to: 2, force: true },
      /version 4 given, but '.*' is at version 4/,
      4,
      targetOf(racing),
    );
    expect(await store().get(flagKey)).toMatchObject({ version: 4, kind: 'change', reason: 'a newer change' });
  });
});
