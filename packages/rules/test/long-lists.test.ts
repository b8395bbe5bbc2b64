import { createValidationContext, exampleChange, serviceCatalogue, TargetingRule } from '../src';
import { seededRandom } from './support/generate';
import { duplicateCount, duplicates, memberOf } from '../src/facts/lists';
import { measureScope } from '../src/facts/scope';
import { measureTargeting } from '../src/facts/targeting';

// The list facts take a different path above 16 items; both paths must count what the plain definitions
// (written here the quadratic way) count.
const ids = serviceCatalogue.services.map((s) => s.id);
const regions = [...new Set(serviceCatalogue.services.flatMap((s) => s.regions))];
const { catalogue } = createValidationContext({ now: 0, stage: 'live' });
const random = seededRandom(5);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
const listOf = <T>(length: number, pool: readonly T[]) => Array.from({ length }, () => pick(pool));
const LENGTHS = [0, 1, 2, 5, 16, 17, 40, 300];

const definitions = {
  duplicates: (items: readonly string[]) => [...new Set(items.filter((item, i) => items.indexOf(item) < i))],
  duplicateCount: (items: readonly string[]) => items.filter((item, i) => items.indexOf(item) !== i).length,
  contradictions: (targeting: readonly TargetingRule[]) => {
    let count = 0;
    for (const included of targeting.filter((r) => r.operator === 'in')) {
      for (const excluded of targeting.filter((r) => r.operator === 'notIn' && r.attribute === included.attribute)) {
        count += included.values.filter((v) => excluded.values.includes(v)).length;
      }
    }
    return count;
  },
};

describe.each(LENGTHS)('lists of %i items', (length) => {
  test('duplicates, duplicateCount and memberOf agree with their definitions', () => {
    for (let round = 0; round < 20; round++) {
      const items = listOf(length, ids.slice(0, 1 + Math.floor(random() * 60)));
      expect(duplicates(items)).toEqual(definitions.duplicates(items));
      expect(duplicateCount(items)).toBe(definitions.duplicateCount(items));
      const isMember = memberOf(items);
      for (const id of ids.slice(0, 70)) expect(isMember(id)).toBe(items.includes(id));
    }
  });

  test('contradictory targeting values are counted per pair of in and notIn rules', () => {
    const values = ['a', 'b', 'c', 'd', 1, 2];
    for (let round = 0; round < 20; round++) {
      const targeting = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
        attribute: pick(['plan', 'country']),
        operator: pick(['in', 'notIn', 'in', 'eq']),
        values: listOf(length, values),
      })) as TargetingRule[];
      expect(measureTargeting(targeting).contradictoryTargetingValues).toBe(definitions.contradictions(targeting));
    }
  });

  test('services outside the listed regions, and listed regions no target serves', () => {
    for (let round = 0; round < 10; round++) {
      const change = exampleChange({ services: listOf(Math.min(length, 156), ids), regions: listOf(length, regions) });
      const scope = measureScope(change, catalogue);
      const known = change.services.map((id) => catalogue.byId.get(id)!);
      expect(scope.servicesOutsideRegions).toEqual(
        known.filter((s) => !s.regions.some((r) => change.regions!.includes(r))).map((s) => s.id),
      );
      expect(scope.regionsWithoutServices).toEqual(
        change.regions!.filter((r) => !known.some((s) => s.regions.includes(r))),
      );
    }
  });
});

test('a key prefix is a team only when a dash follows it', () => {
  const team = serviceCatalogue.teams[0];
  expect(measureScope(exampleChange({ flagKey: `${team}-x`, owner: team }), catalogue).keyTeamPrefix).toBe(team);
  expect(measureScope(exampleChange({ flagKey: `${team}x-y` }), catalogue).keyTeamPrefix).toBeNull();
  expect(measureScope(exampleChange({ flagKey: team }), catalogue).keyTeamPrefix).toBeNull();
});
