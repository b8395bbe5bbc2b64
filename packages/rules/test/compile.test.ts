import { compileConditionSet } from '../src/engine/compile';
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
