import { parseFlagChange } from '../src';
import { generateCases, seededRandom } from './support/generate';
import { jsonByteLength } from '../src/facts/json-size';

/** The definition jsonByteLength must reproduce without building the string. */
const reference = (value: unknown) => {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : Buffer.byteLength(json);
};

// Every class of character JSON writes differently: plain, escaped, control, 2-, 3- and 4-byte UTF-8,
// and lone surrogates (which JSON.stringify writes as \udXXX escapes).
const CHARS = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\b', '\f', '\r', '\0', '\x1f', '\x7f', 'é', '\u07ff'];
CHARS.push('\u0800', '€', '\uffff', '😀', '\ud800', '\udfff', '\udbff\udc00', '\udc00\ud800');
const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456.789, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity];
const ODD = [undefined, () => 1, Symbol('s')];

function randomJsonLike(random: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const text = () => Array.from({ length: Math.floor(random() * 8) }, () => pick(CHARS)).join('');
  const roll = random();
  if (depth > 3 || roll < 0.3) return text();
  if (roll < 0.45) return pick(NUMBERS);
  if (roll < 0.55) return pick([true, false, null]);
  if (roll < 0.6) return pick(ODD);
  const size = Math.floor(random() * 5);
  if (roll < 0.8) return Array.from({ length: size }, () => randomJsonLike(random, depth + 1));
  return Object.fromEntries(Array.from({ length: size }, () => [text(), randomJsonLike(random, depth + 1)]));
}

describe('jsonByteLength', () => {
  test('equals the UTF-8 length of JSON.stringify on 10,000 generated flag changes', () => {
    const mismatches = generateCases(10_000, 11)
      .map(({ change }) => parseFlagChange(change))
      .filter((change) => jsonByteLength(change) !== reference(change));
    expect(mismatches).toEqual([]);
  });

  test('equals it on 20,000 random values: escapes, surrogates, numbers, members JSON leaves out', () => {
    const random = seededRandom(3);
    const mismatches: unknown[] = [];
    for (let i = 0; i < 20_000; i++) {
      const value = randomJsonLike(random, 0);
      if (jsonByteLength(value) !== reference(value)) mismatches.push(value);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  test.each([
    ['an empty object', {}, 2],
    ['an empty array', [], 2],
    ['an empty string', '', 2],
    ['a lone surrogate', '\ud800', 8],
    ['a pair', '😀', 6],
    ['an object whose only member JSON leaves out', { a: undefined }, 2],
    ['an array of undefined', [undefined], 6],
    ['undefined', undefined, undefined],
  ])('%s', (_, value, bytes) => {
    expect(jsonByteLength(value)).toBe(bytes);
    expect(reference(value)).toBe(bytes);
  });
});
