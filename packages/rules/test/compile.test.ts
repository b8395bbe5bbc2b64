import { compileConditionSet, compileMessage } from '../src/engine/compile';
import { Condition } from '../src/engine/rule-types';

const valueText = (operator: 'matches' | 'matchesIgnoringCase', value: string): Condition => ({
  all: [{ fact: 'valueText', operator, value }],
});

// A run long enough to be joined: both flag sets, a backreference that would point at another pattern's
// group once joined (so it must stay on its own), then a rule on another fact that ends the run.
const conditions: Condition[] = [
  valueText('matches', '\\bAKIA[A-Z0-9]{4}\\b'),
  valueText('matchesIgnoringCase', 'password\\n'),
  valueText('matches', '^(exact)$'),
  valueText('matches', '(a)(b)\\2'),
  valueText('matchesIgnoringCase', '<script\\b'),
  { all: [{ fact: 'flagKey', operator: 'matches', value: '^x' }] },
];

const TEXTS: unknown[] = [
  '',
  'nothing here',
  'AKIAABCD',
  'xAKIAABCD',
  'PASSWORD\nhunter2',
  'exact',
  'not exact',
  'abb',
  'aba',
  '<SCRIPT src=x>',
  'AKIAABCD and <script>',
  42,
  null,
  undefined,
  ['AKIAABCD'],
];

describe('compiled scan', () => {
  const { predicates, scan } = compileConditionSet(conditions);

  test.each(TEXTS.map((text) => [JSON.stringify(text) ?? 'undefined', text]))(
    'finds what the rules find one by one, in order, on %s',
    (_, text) => {
      for (const flagKey of ['x-flag', 'flag']) {
        const facts = { valueText: text, flagKey } as never;
        const hits: number[] = [];
        const found = scan(facts, hits);
        const expected = predicates.flatMap((violated, i) => (violated(facts) ? [i] : []));
        expect(hits.slice(0, found)).toEqual(expected);
      }
    },
  );

  test('the joined test is exact: each pattern alone still decides its own rule', () => {
    const hits: number[] = [];
    const found = scan({ valueText: 'abb', flagKey: 'flag' } as never, hits);
    expect(hits.slice(0, found)).toEqual([3]);
  });
});

describe('compiled messages', () => {
  const message = compileMessage('services {unknownServices} are unknown to {owner}');

  test('fill in facts: lists joined, values as text', () => {
    expect(message({ unknownServices: ['a', 'b'], owner: 'checkout' } as never)).toBe(
      'services a, b are unknown to checkout',
    );
  });

  test('shorten long lists and texts instead of echoing the input', () => {
    const services = Array.from({ length: 25_000 }, (_, i) => `svc-${i}`);
    const owner = `${'x'.repeat(119)}😀${'y'.repeat(10_000)}`;
    const text = message({ unknownServices: services, owner } as never);
    expect(text).toBe(
      `services svc-0, svc-1, svc-2, svc-3, svc-4, svc-5, svc-6, svc-7, svc-8, svc-9, … (24990 more) are unknown to ${'x'.repeat(119)}… (10121 characters)`,
    );
  });
});
