import { createValidationContext, exampleChange, FlagChange, loadPrerequisiteChain, validateChange } from '../src';
import { seededRandom } from './support/generate';
import { measurePrerequisites } from '../src/facts/prerequisites';

/** The definition the memoised walk must reproduce: every path, exhaustively (exponential on ladders). */
function exhaustive(change: FlagChange, states: ReadonlyMap<string, FlagChange>) {
  let depth = 0;
  let cycle: string | null = null;
  const visit = (keys: readonly string[], path: string[]): void => {
    depth = Math.max(depth, path.length - 1);
    for (const key of keys) {
      if (key === change.flagKey) {
        if (path.length > 1) cycle ??= [...path, key].join(' -> ');
        continue;
      }
      if (path.includes(key)) continue;
      visit(states.get(key)?.prerequisites?.map((p) => p.flagKey) ?? [], [...path, key]);
    }
  };
  visit(
    (change.prerequisites ?? []).map((p) => p.flagKey),
    [change.flagKey],
  );
  return { prerequisiteDepth: depth, prerequisiteCycle: cycle };
}

const needing = (flagKey: string, keys: readonly string[]) =>
  exampleChange({ flagKey, prerequisites: keys.map((key) => ({ flagKey: key, value: true })) });

describe('prerequisite chains', () => {
  test('depth and cycle equal the exhaustive walk on 2,000 random acyclic flag graphs', () => {
    const random = seededRandom(9);
    const mismatches: unknown[] = [];
    for (let round = 0; round < 2000; round++) {
      const size = 1 + Math.floor(random() * 7);
      const keys = Array.from({ length: size }, (_, i) => `f-${i}`);
      // Edges only to later flags (acyclic among the states), some back to the change itself, some to
      // flags nobody knows.
      const states = new Map(
        keys.map((key, i) => {
          const later = [...keys.slice(i + 1), 'me', 'ghost'].filter(() => random() < 0.4);
          return [key, needing(key, later)] as const;
        }),
      );
      const change = needing(
        'me',
        [...keys, 'ghost'].filter(() => random() < 0.5),
      );
      const { prerequisiteDepth, prerequisiteCycle } = measurePrerequisites(change, states);
      const expected = exhaustive(change, states);
      if (prerequisiteDepth !== expected.prerequisiteDepth || prerequisiteCycle !== expected.prerequisiteCycle) {
        mismatches.push({ round, got: { prerequisiteDepth, prerequisiteCycle }, expected });
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('a ladder of 60 flags, each needing the next two, is measured at once (2^60 paths)', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `rung-${i}`);
    const states = new Map(keys.map((key, i) => [key, needing(key, keys.slice(i + 1, i + 3))] as const));
    const started = performance.now();
    const { prerequisiteDepth, prerequisiteCycle } = measurePrerequisites(needing('me', [keys[0]]), states);
    expect(performance.now() - started).toBeLessThan(1000);
    expect([prerequisiteDepth, prerequisiteCycle]).toEqual([60, null]);
  });

  test('a chain back to the changed flag is reported as a cycle', () => {
    const states = new Map([
      ['a', needing('a', ['b'])],
      ['b', needing('b', ['me'])],
    ]);
    expect(measurePrerequisites(needing('me', ['a']), states).prerequisiteCycle).toBe('me -> a -> b -> me');
  });
});

describe('the whole chain reaches the rules', () => {
  // me -> a -> b -> c -> me: a cycle of four hops, invisible to a context holding only direct prerequisites.
  const table = new Map([
    ['a', needing('a', ['b'])],
    ['b', needing('b', ['c'])],
    ['c', needing('c', ['me'])],
  ]);
  const change = needing('me', ['a']);
  const violations = (prerequisites: FlagChange[]) =>
    validateChange(change, createValidationContext({ now: Date.now(), stage: 'qa', prerequisites })).violations.map(
      (v) => v.ruleId,
    );

  test('loadPrerequisiteChain reads each flag of the chain once, and the cycle is reported', async () => {
    const reads: string[] = [];
    const chain = await loadPrerequisiteChain(change, async (key) => {
      reads.push(key);
      return table.get(key);
    });
    expect(reads).toEqual(['a', 'b', 'c']);
    expect(violations(chain)).toContain('FFC-PREREQ-006');
  });

  test('given only the direct prerequisites, the rules refuse the unseen rest of the chain', () => {
    const result = violations([table.get('a')!]);
    expect(result).toContain('FFC-PREREQ-002');
    expect(result).not.toContain('FFC-PREREQ-006');
  });
});

describe('the validation context', () => {
  test.each([
    [{ timeZone: 'Mars/Olympus' }, /time zone 'Mars\/Olympus' is not an IANA time zone/],
    [{ changeWindows: [{ days: ['tue' as const], start: '9:00', end: '17:00' }] }, /has '9:00': use days .* HH:MM/],
  ])('refuses a policy it cannot apply: %j', (input, message) => {
    expect(() => createValidationContext({ now: 0, stage: 'live', ...input })).toThrow(message);
  });
});
