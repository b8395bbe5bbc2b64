import { canonicalAttributes, compareVersions, imageHash, ItemVersion } from '../../src/dynamodb';

function version(timestampMs: number, region: string, sequenceNumber = 1n): ItemVersion {
  return { timestampMs, region, sequenceNumber, image: null, imageHash: imageHash(null) };
}

describe('compareVersions: last writer wins', () => {
  test('the later timestamp wins, whatever the regions', () => {
    expect(compareVersions(version(2, 'ap-southeast-2'), version(1, 'us-east-1'))).toBeGreaterThan(0);
    expect(compareVersions(version(1, 'us-east-1'), version(2, 'ap-southeast-2'))).toBeLessThan(0);
  });

  test('equal timestamps go to the greater region name', () => {
    expect(compareVersions(version(5, 'us-east-1'), version(5, 'eu-west-1'))).toBeGreaterThan(0);
    expect(compareVersions(version(5, 'eu-west-1'), version(5, 'us-east-1'))).toBeLessThan(0);
  });

  test('within one region and millisecond, the later stream record wins (sequence numbers compare as numbers)', () => {
    expect(compareVersions(version(5, 'eu-west-1', 10n), version(5, 'eu-west-1', 9n))).toBeGreaterThan(0);
    expect(compareVersions(version(5, 'eu-west-1', 9n), version(5, 'eu-west-1', 9n))).toBe(0);
  });
});

describe('imageHash: equal items, equal hashes', () => {
  test('attribute order, map key order and set member order do not matter', () => {
    const one = { pk: { S: 'a' }, tags: { SS: ['x', 'y'] }, value: { M: { on: { BOOL: true }, n: { N: '1' } } } };
    const two = { value: { M: { n: { N: '1' }, on: { BOOL: true } } }, tags: { SS: ['y', 'x'] }, pk: { S: 'a' } };
    expect(imageHash(one)).toEqual(imageHash(two));
  });

  test('list order, types and binary content do matter', () => {
    expect(imageHash({ l: { L: [{ S: 'a' }, { S: 'b' }] } })).not.toEqual(
      imageHash({ l: { L: [{ S: 'b' }, { S: 'a' }] } }),
    );
    expect(imageHash({ v: { S: '1' } })).not.toEqual(imageHash({ v: { N: '1' } }));
    expect(imageHash({ b: { B: Uint8Array.from([1, 2]) } })).not.toEqual(
      imageHash({ b: { B: Uint8Array.from([1, 3]) } }),
    );
    expect(imageHash({ b: { B: Uint8Array.from([1, 2]) } })).toEqual(imageHash({ b: { B: Buffer.from([1, 2]) } }));
  });

  test('an absent item differs from every image, the empty one included', () => {
    expect(imageHash(null)).not.toEqual(imageHash({}));
    expect(canonicalAttributes({})).toBe('{}');
  });
});
