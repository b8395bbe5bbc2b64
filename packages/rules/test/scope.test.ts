import { createValidationContext, exampleChange, serviceCatalogue } from '../src';
import { measureScope } from '../src/facts/scope';

const ids = serviceCatalogue.services.map((s) => s.id);
const { catalogue } = createValidationContext({ now: 0, stage: 'live' });

/** The definition: every item seen before, once, in the order of its first repeat. */
const reference = (items: readonly string[]) => [...new Set(items.filter((item, i) => items.indexOf(item) < i))];

describe('measureScope duplicates', () => {
  test.each([
    ['none', [ids[0], ids[1]]],
    ['one pair', [ids[0], ids[1], ids[0]]],
    ['a triple and a pair, short list', [ids[2], ids[1], ids[2], ids[1], ids[2]]],
    ['a long list (set path)', [...ids.slice(0, 30), ids[3], ids[29], ids[3]]],
    ['a long list without repeats', ids.slice(0, 40)],
  ])('%s', (_, services) => {
    const scope = measureScope(exampleChange({ services }), catalogue);
    expect(scope.duplicateServices).toEqual(reference(services));
    expect(scope.duplicateServiceCount).toBe(reference(services).length);
  });

  test('a key prefix is a team only when a dash follows it', () => {
    const team = serviceCatalogue.teams[0];
    expect(measureScope(exampleChange({ flagKey: `${team}-x`, owner: team }), catalogue).keyTeamPrefix).toBe(team);
    expect(measureScope(exampleChange({ flagKey: `${team}x-y` }), catalogue).keyTeamPrefix).toBeNull();
    expect(measureScope(exampleChange({ flagKey: team }), catalogue).keyTeamPrefix).toBeNull();
  });
});
