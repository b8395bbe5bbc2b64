import { exampleChange, FlagChange } from '../src';
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
