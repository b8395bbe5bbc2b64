import { exampleChange, serviceCatalogue } from '@ffc/rules';
import { FlagStore } from '@ffc/store';
import { validationContextFromStore } from '../src';

describe('validationContextFromStore', () => {
  test('reads each prerequisite flag once, however often the change lists it', async () => {
    const reads: string[] = [];
    const store = {
      get: async (flagKey: string) => (reads.push(flagKey), null),
      history: async () => [],
    } as unknown as FlagStore;
    const change = exampleChange({
      prerequisites: Array.from({ length: 1000 }, (_, i) => ({ flagKey: `base-${i % 3}`, value: true })),
    });
    const context = await validationContextFromStore(store, change, undefined, {
      stage: change.stage,
      production: false,
      catalogue: serviceCatalogue,
    });
    expect(reads.sort()).toEqual(['base-0', 'base-1', 'base-2']);
    expect(context.prerequisites.size).toBe(0);
  });
});
