import { compileFlag, rolloutBucket, ROLLOUT_BUCKETS } from '../../src';
import { chiSquaredUniform } from '../support/chi-squared';

const users = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
const noFlags = () => undefined;

function servedShare(percentage: number, flagKey = 'checkout-redesign'): Set<string> {
  const flag = compileFlag(flagKey, { type: 'boolean', value: true, rollout: { percentage } });
  return new Set(users.filter((userId) => flag.evaluate({ targetingKey: userId }, noFlags).value === true));
}

test('a 25 % rollout serves 25 % ± 1 % of 100,000 distinct users', () => {
  expect(Math.abs(servedShare(25).size / users.length - 0.25)).toBeLessThanOrEqual(0.01);
});

test('a user inside at 10 % stays inside at 20 %, 50 % and 100 % (sticky), and 0.01 % steps exist', () => {
  const at10 = servedShare(10);
  for (const wider of [servedShare(20), servedShare(50), servedShare(100)]) {
    expect([...at10].filter((user) => !wider.has(user))).toEqual([]);
  }
  expect(servedShare(10.01).size).toBeGreaterThan(at10.size);
});

test('buckets are uniform: χ² over 100,000 keys in 100 and in 10,000 buckets', () => {
  const percent = new Array<number>(100).fill(0);
  const fine = new Array<number>(ROLLOUT_BUCKETS).fill(0);
  for (const user of users) {
    const bucket = rolloutBucket('checkout-redesign', user);
    percent[Math.floor(bucket / 100)]++;
    fine[bucket]++;
  }
  // A sound hash passes at the 0.1 % level; a bucket of `hash % 100` alone would also pass the coarse test,
  // so the fine one checks the last two digits too.
  expect(chiSquaredUniform(percent).p).toBeGreaterThan(0.001);
  expect(chiSquaredUniform(fine).p).toBeGreaterThan(0.001);
});

test('two flags bucket independently: 25 % of one and 25 % of the other share ≈ 6.25 % of users', () => {
  const a = servedShare(25, 'checkout-redesign');
  const b = servedShare(25, 'search-ranking-v2');
  const both = [...a].filter((user) => b.has(user)).length / users.length;
  expect(Math.abs(both - 0.0625)).toBeLessThan(0.005);
});
