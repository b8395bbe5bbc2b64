import { measure, percentile, summarise } from '../src/stats';

describe('percentile', () => {
  test('nearest rank: p50 of 1..100 is 50, p99 is 99', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
  });
  test('rejects empty input and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow('no samples');
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarise', () => {
  test('sorts unsorted samples before ranking', () => {
    const s = summarise([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ samples: 5, p50: 3, max: 5, mean: 3 });
  });
});

describe('measure', () => {
  test('runs warm-up plus measured iterations', async () => {
    let calls = 0;
    const s = await measure(20, () => calls++, 5);
    expect(calls).toBe(25);
    expect(s.samples).toBe(20);
  });
});
