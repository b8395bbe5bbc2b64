import {
  dynamoDbSize,
  FlagDocumentTooLargeError,
  InvalidFlagInputError,
  InvalidFlagKeyError,
  isRollback,
  MAX_DOCUMENT_BYTES,
  MAX_VERSION,
  normaliseDocument,
} from '../src';
import { writeBack } from '../src/flag-document';

describe('normaliseDocument', () => {
  test('returns the JSON form that is stored', () => {
    const changedAt = new Date('2025-01-01T00:00:00.000Z');
    expect(normaliseDocument({ flagKey: 'checkout-v2', version: 1, ticket: undefined, changedAt })).toEqual({
      flagKey: 'checkout-v2',
      version: 1,
      changedAt: '2025-01-01T00:00:00.000Z',
    });
  });

  test.each<[string, unknown, RegExp]>([
    ['null', null, /must be an object, got null/],
    ['an array', [], /must be an object, got an array/],
    ['a missing version', { flagKey: 'checkout-v2' }, /integer from 1/],
    ['version 0', { flagKey: 'checkout-v2', version: 0 }, /integer from 1/],
    ['a fractional version', { flagKey: 'checkout-v2', version: 1.5 }, /got 1.5/],
    ['a version past the padded width', { flagKey: 'checkout-v2', version: MAX_VERSION + 1 }, /integer from 1/],
    ['an unknown kind', { flagKey: 'checkout-v2', version: 1, kind: 'hotfix' }, /kind of flag/],
  ])('refuses %s', (_, document, message) => {
    expect(() => normaliseDocument(document)).toThrow(InvalidFlagInputError);
    expect(() => normaliseDocument(document)).toThrow(message);
  });

  test('refuses a bad flag key, saying what a good one looks like', () => {
    expect(() => normaliseDocument({ flagKey: 'Checkout V2', version: 1 })).toThrow(InvalidFlagKeyError);
    expect(() => normaliseDocument({ flagKey: 'Checkout V2', version: 1 })).toThrow(/lowercase letters/);
  });

  test('refuses a document above the limit by its DynamoDB size', () => {
    const justOver = { flagKey: 'checkout-v2', version: 1, value: 'x'.repeat(MAX_DOCUMENT_BYTES) };
    expect(() => normaliseDocument(justOver)).toThrow(FlagDocumentTooLargeError);
    // 120k small numbers: ~240 KB of JSON but ~360 KB as a DynamoDB list.
    const smallNumbers = { flagKey: 'checkout-v2', version: 1, value: new Array(120_000).fill(7) };
    expect(Buffer.byteLength(JSON.stringify(smallNumbers))).toBeLessThan(MAX_DOCUMENT_BYTES);
    expect(() => normaliseDocument(smallNumbers)).toThrow(FlagDocumentTooLargeError);
  });
});

describe('dynamoDbSize', () => {
  test('follows DynamoDB size rules', () => {
    expect(dynamoDbSize('héllo')).toBe(6);
    expect(dynamoDbSize(true)).toBe(1);
    expect(dynamoDbSize(null)).toBe(1);
    expect(dynamoDbSize(12345)).toBe(4);
    expect(dynamoDbSize(-0.001)).toBe(2);
    expect(dynamoDbSize([1, 'ab'])).toBe(3 + (1 + 2) + (1 + 2));
    expect(dynamoDbSize({ a: 'bc' })).toBe(3 + 1 + 1 + 2);
  });
});

describe('writeBack and isRollback', () => {
  const stamp = { changedBy: 'ffc-rollback', changedAt: '2025-06-01T00:00:00.000Z', reason: 'verification failed' };
  const source = { flagKey: 'checkout-v2', version: 3, value: 'blue', kind: 'rollback' as const, rollbackOf: 2 };

  test('a rollback carries rollbackOf and the version whose content it restores', () => {
    const rolledBack = writeBack(source, 'rollback', 7, stamp);
    expect(rolledBack).toEqual({
      ...stamp,
      flagKey: 'checkout-v2',
      version: 8,
      value: 'blue',
      kind: 'rollback',
      rollbackOf: 7,
      sourceVersion: 3,
    });
    expect(isRollback(rolledBack)).toBe(true);
  });

  test('a restore drops the source rollback markers and is not a rollback', () => {
    const restored = writeBack({ ...source, correlationId: 'old' }, 'restore', 7, stamp);
    expect(restored).toMatchObject({ version: 8, kind: 'restore', restoreOf: 7, sourceVersion: 3 });
    expect(restored).not.toHaveProperty('rollbackOf');
    expect(restored).not.toHaveProperty('correlationId');
    expect(isRollback(restored)).toBe(false);
  });

  test('isRollback needs both the kind and the bad version', () => {
    expect(isRollback({ kind: 'rollback' })).toBe(false);
    expect(isRollback({ kind: 'change', rollbackOf: 3 })).toBe(false);
  });
});
