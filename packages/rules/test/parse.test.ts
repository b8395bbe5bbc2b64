import { FlagChangeParseError, parseFlagChange, parseFlagChangeJson, PARSE_LIMITS } from '../src';
import { cleanChange } from './support/scenario';

const json = (edit: (doc: Record<string, unknown>) => void = () => {}) => {
  const doc: Record<string, unknown> = { ...cleanChange() };
  edit(doc);
  return JSON.stringify(doc);
};
const parseError = (run: () => unknown): FlagChangeParseError => {
  try {
    run();
  } catch (error) {
    if (error instanceof FlagChangeParseError) return error;
    throw error;
  }
  throw new Error('expected a FlagChangeParseError');
};

describe('parseFlagChangeJson', () => {
  test('returns a plain flag change for a well-formed document', () => {
    expect(parseFlagChangeJson(json())).toEqual(cleanChange());
  });

  test('defaults kind to change', () => {
    expect(parseFlagChangeJson(json((d) => delete d.kind)).kind).toBe('change');
  });

  test.each([
    ['not JSON', '{"flagKey": ', '', /not valid JSON/],
    ['an array', '[]', '', /must be an object/],
    ['a missing field', json((d) => delete d.owner), 'owner', /missing/],
    ['a wrong type', json((d) => (d.version = '2')), 'version', /finite number/],
    ['an unknown type', json((d) => (d.type = 'float')), 'type', /one of boolean, string, number, json/],
    ['an unknown kind', json((d) => (d.kind = 'delete')), 'kind', /one of change, restore, rollback/],
    ['an unknown field', json((d) => (d.colour = 'blue')), 'colour', /unknown field/],
    [
      'an unknown nested field',
      json((d) => (d.rollout = { percentage: 5, speed: 1 })),
      'rollout.speed',
      /unknown field/,
    ],
    ['a __proto__ key', '{"__proto__": {"polluted": true}}', '__proto__', /reserved key/],
    [
      'a constructor key in the value',
      json((d) => (d.value = { constructor: { prototype: 1 } })),
      'value.constructor',
      /reserved key/,
    ],
    [
      'a bad targeting value',
      json((d) => (d.targeting = [{ attribute: 'plan', operator: 'in', values: [true] }])),
      'targeting[0].values[0]',
      /string/,
    ],
  ])('rejects %s with the field path', (_, text, path, problem) => {
    const error = parseError(() => parseFlagChangeJson(text));
    expect(error.path).toBe(path);
    expect(error.message).toMatch(problem);
  });

  test('rejects megabyte-sized input before parsing it', () => {
    const text = json((d) => (d.value = 'x'.repeat(PARSE_LIMITS.maxInputChars)));
    expect(parseError(() => parseFlagChangeJson(text)).message).toMatch(/the limit is/);
  });

  test('rejects deeply nested values without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = json((d) => (d.value = 'PLACEHOLDER')).replace('"PLACEHOLDER"', deep);
    expect(parseError(() => parseFlagChangeJson(text)).message).toMatch(/nested deeper than 32/);
  });
});

describe('parseFlagChange', () => {
  test('rejects non-finite numbers and objects with a foreign prototype', () => {
    expect(parseError(() => parseFlagChange({ ...cleanChange(), version: Number.NaN })).path).toBe('version');
    expect(parseError(() => parseFlagChange({ ...cleanChange(), value: new Date() })).path).toBe('value');
  });

  test('rejects values with too many nodes', () => {
    const value = Array.from({ length: PARSE_LIMITS.maxNodes + 1 }, () => 1);
    expect(parseError(() => parseFlagChange({ ...cleanChange(), type: 'json', value })).message).toMatch(/JSON nodes/);
  });

  test('rejects more prerequisites than the validator will read (each is a table read), naming the limit', () => {
    const listing = (n: number) => Array.from({ length: n }, (_, i) => ({ flagKey: `base-${i}`, value: true }));
    const error = parseError(() => parseFlagChange({ ...cleanChange(), prerequisites: listing(101) }));
    expect([error.path, error.message]).toEqual(['prerequisites', 'prerequisites: 101 entries; at most 100 are read']);
    expect(parseFlagChange({ ...cleanChange(), prerequisites: listing(100) }).prerequisites).toHaveLength(100);
  });

  test('copies the value, so later edits of the input cannot change the parsed change', () => {
    const input = { ...cleanChange(), type: 'json', value: { a: 1 } };
    const parsed = parseFlagChange(input);
    input.value.a = 2;
    expect(parsed.value).toEqual({ a: 1 });
  });
});

describe('exampleChange', () => {
  test('passes every rule in a non-production stage', async () => {
    const { createValidationContext, exampleChange, validateChange } = await import('../src');
    const change = exampleChange();
    const verdict = validateChange(change, createValidationContext({ now: change.changedAt, stage: change.stage }));
    expect(verdict.violations.filter((v) => v.severity === 'error')).toEqual([]);
  });
});
