import { assertFlagKey, InvalidFlagKeyError } from '../src';

describe('assertFlagKey', () => {
  test.each(['checkout-redesign', 'abc', 'a'.repeat(64)])('accepts %s', (key) => {
    expect(assertFlagKey(key)).toBe(key);
  });
  test.each(['Checkout V2', 'ab', '1-flag', 'a'.repeat(65), 'flag_key'])(
    'rejects %s with a message naming the pattern',
    (key) => {
      expect(() => assertFlagKey(key)).toThrow(InvalidFlagKeyError);
      expect(() => assertFlagKey(key)).toThrow(/must match/);
    },
  );
});
