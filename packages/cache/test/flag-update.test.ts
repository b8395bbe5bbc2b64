import {
  assertServiceId,
  FlagValueTooLargeError,
  InvalidFlagUpdateError,
  InvalidServiceIdError,
  InvalidStageError,
  KeyLayout,
  supersedes,
  toFlagEntry,
} from '../src';
import { booleanChange } from './support/fixtures';

describe('toFlagEntry: a change is checked before it reaches Redis', () => {
  const valid = { flagKey: 'checkout-redesign', version: 3, type: 'boolean' as const, value: true };

  test('a valid change keeps its fields and gets a change time', () => {
    const entry = toFlagEntry(valid, undefined, new Date('2030-01-02T03:04:05Z'));
    expect(entry).toEqual({ ...valid, changedAt: '2030-01-02T03:04:05.000Z', kind: undefined });
  });

  test.each([
    ['flagKey', { ...valid, flagKey: 'Checkout V2' }],
    ['version', { ...valid, version: '7' }],
    ['version', { ...valid, version: Number.NaN }],
    ['version', { ...valid, version: -1 }],
    ['version', { ...valid, version: 1.5 }],
    ['version', { ...valid, version: 2 ** 53 }],
    ['type', { ...valid, type: 'yaml' }],
    ['value', { ...valid, value: 'true' }],
    ['value', { ...valid, type: 'number', value: Number.POSITIVE_INFINITY }],
    ['value', { ...valid, type: 'json', value: undefined }],
    ['changedAt', { ...valid, changedAt: 'yesterday' }],
  ])('rejects a bad %s', (field, change) => {
    expect(() => toFlagEntry(change as never)).toThrow(InvalidFlagUpdateError);
    expect(() => toFlagEntry(change as never)).toThrow(new RegExp(`invalid flag update: ${field}`));
  });

  test('rejects a value over the size limit, naming the size and the limit', () => {
    const change = { ...valid, type: 'string' as const, value: 'x'.repeat(2000) };
    expect(() => toFlagEntry(change, 1024)).toThrow(FlagValueTooLargeError);
    expect(() => toFlagEntry(change, 1024)).toThrow(/over the cache limit of 1024/);
    expect(() => toFlagEntry(change, 4096)).not.toThrow();
  });
});

describe('service ids and stages', () => {
  test.each(['checkout', 'payments-api', 'svc-156'])('%s is a service id', (id) => {
    expect(assertServiceId(id)).toBe(id);
  });
  test.each(['', 'Checkout', 'svc_1', 'a', 'svc:1', 'svc{1}', '-svc'])('%j is not', (id) => {
    expect(() => assertServiceId(id)).toThrow(InvalidServiceIdError);
  });
  test.each(['', 'Live', 'pr{1}', 'a:b'])('stage %j is refused', (stage) => {
    expect(() => new KeyLayout(stage)).toThrow(InvalidStageError);
  });
});

describe('KeyLayout: one hash tag per stage', () => {
  const hashTag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
  const keys = new KeyLayout('pr-142');

  test('every key of a stage carries the same hash tag, so it lives in one cluster slot', () => {
    const names = [
      keys.serviceFlags('checkout'),
      keys.serviceFlags('payments-api'),
      keys.acknowledgements('checkout-redesign', 7),
    ];
    expect(names.map(hashTag)).toEqual(['pr-142', 'pr-142', 'pr-142']);
  });

  test('stages and services get distinct keys', () => {
    expect(new KeyLayout('live').serviceFlags('checkout')).not.toBe(keys.serviceFlags('checkout'));
    expect(keys.serviceFlags('checkout')).not.toBe(keys.serviceFlags('checkout-api'));
    expect(keys.serviceChannel('checkout')).toBe(`${keys.channelPrefix()}checkout`);
  });
});

describe('supersedes (what a holder of a flag moves to: the apply script rule, for readers)', () => {
  const at = (version: number, extra: { correlationId?: string; replaces?: string } = {}) =>
    toFlagEntry({ ...booleanChange(version, 'held'), ...extra });
  const held = { version: 2, correlationId: 'loser' };
  test.each([
    ['nothing held yet', at(1), undefined, true],
    ['a higher version', at(3), held, true],
    ['a lower version', at(1), held, false],
    ['the same version, no replacement (a duplicate)', at(2, { correlationId: 'winner' }), held, false],
    ['the same version replacing the write held', at(2, { correlationId: 'winner', replaces: 'loser' }), held, true],
    ['the same version replacing another write', at(2, { correlationId: 'winner', replaces: 'other' }), held, false],
    [
      'the same version replacing a write when the holder does not know its own',
      at(2, { replaces: 'loser' }),
      { version: 2 },
      false,
    ],
  ])('%s', (_, record, holder, expected) => {
    expect(supersedes(record, holder)).toBe(expected);
  });
});
