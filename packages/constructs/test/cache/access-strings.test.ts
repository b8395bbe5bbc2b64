import { KeyLayout } from '@ffc/cache';
import { flagCacheKeyspace } from '../../src';

/** Redis glob (ACL key and channel patterns) as a regular expression: `*` any run, `?` one character. */
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

describe('flagCacheKeyspace: the ACL patterns cover exactly what @ffc/cache names', () => {
  const keys = new KeyLayout('pr-7');
  const space = flagCacheKeyspace('pr-7');

  test('each pattern matches its kind of key of this stage, and no other kind', () => {
    const named = {
      flags: keys.serviceFlags('checkout-api'),
      changed: keys.serviceChannel('checkout-api'),
      acks: keys.acknowledgements('new-checkout', 7),
    };
    for (const [kind, pattern] of Object.entries(space)) {
      for (const [other, name] of Object.entries(named)) {
        expect([kind, other, glob(pattern).test(name)]).toEqual([kind, other, kind === other]);
      }
    }
    expect(glob(space.changed).test(`${keys.channelPrefix()}checkout-api`)).toBe(true);
  });

  test("another stage's keys match none of them", () => {
    const other = new KeyLayout('pr-70');
    for (const pattern of Object.values(space)) {
      expect(glob(pattern).test(other.serviceFlags('checkout-api'))).toBe(false);
      expect(glob(pattern).test(other.acknowledgements('new-checkout', 7))).toBe(false);
    }
  });
});
