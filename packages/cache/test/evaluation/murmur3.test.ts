import { murmur3X86_32, rolloutBucket } from '../../src';
import { upperRegularisedGamma } from '../support/chi-squared';

describe('murmur3X86_32', () => {
  // SMHasher's reference implementation, as tabulated for MurmurHash3_x86_32 verification (input, seed, hash).
  test.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['test', 0, 0xba6bd213],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['aa', 0x9747b28c, 0x5d211726],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['ππππππππ', 0x9747b28c, 0xd58063c1], // UTF-8 bytes, as Go and Java clients hash
  ])('%j with seed %d', (input, seed, expected) => {
    expect(murmur3X86_32(input, seed)).toBe(expected);
  });
});

describe('rolloutBucket matches Unleash bucket for bucket', () => {
  // unleash-client-node test/strategy/util.test: "normalized values are the same across node, java, and go
  // clients": normalizedStrategyValue('123', 'gr1') === 73, ('999', 'groupX') === 25 (hash % 100 + 1).
  test.each([
    ['gr1', '123', 73],
    ['groupX', '999', 25],
  ])('group %s, id %s is Unleash normalized value %d', (group, id, normalized) => {
    expect(Math.floor(rolloutBucket(group, id) / 100) + 1).toBe(normalized);
  });
});

test('the χ² tail matches published critical values', () => {
  // χ²(0.95, 99) = 123.225 and χ²(0.99, 1) = 6.635 (NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
  expect(upperRegularisedGamma(99 / 2, 123.225 / 2)).toBeCloseTo(0.05, 4);
  expect(upperRegularisedGamma(1 / 2, 6.635 / 2)).toBeCloseTo(0.01, 4);
});
