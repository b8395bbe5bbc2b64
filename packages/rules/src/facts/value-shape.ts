import { JsonValue } from '../model/flag-change';

/** The JavaScript kind of a JSON value, as messages name it. */
export type ValueKind = 'boolean' | 'string' | 'number' | 'object' | 'array' | 'null';

export function kindOf(value: JsonValue): ValueKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as ValueKind;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Measurements of a value in one walk: size, shape, and the text secret detectors scan. */
export function measureValue(value: JsonValue) {
  const m = {
    valueDepth: 0,
    valueNodeCount: 0,
    valueMaxArrayLength: 0,
    valueMaxObjectKeys: 0,
    valueEmptyKeyCount: 0,
    valueMaxKeyLength: 0,
    valueMaxStringLength: 0,
    valueNullLeaves: 0,
    valueUnsafeNumbers: 0,
    valueLoneSurrogates: 0,
    valueText: '',
  };
  const text: string[] = [];
  const visit = (node: JsonValue, depth: number): void => {
    m.valueNodeCount++;
    if (node === null) {
      m.valueNullLeaves++;
    } else if (typeof node === 'string') {
      text.push(node);
      if (node.length > m.valueMaxStringLength) m.valueMaxStringLength = node.length;
      m.valueLoneSurrogates += node.match(LONE_SURROGATE)?.length ?? 0;
    } else if (typeof node === 'number') {
      text.push(String(node));
      if (!Number.isSafeInteger(Math.trunc(node))) m.valueUnsafeNumbers++;
    } else if (Array.isArray(node)) {
      if (depth + 1 > m.valueDepth) m.valueDepth = depth + 1;
      if (node.length > m.valueMaxArrayLength) m.valueMaxArrayLength = node.length;
      for (const item of node) visit(item, depth + 1);
    } else if (typeof node === 'object') {
      if (depth + 1 > m.valueDepth) m.valueDepth = depth + 1;
      const keys = Object.keys(node);
      if (keys.length > m.valueMaxObjectKeys) m.valueMaxObjectKeys = keys.length;
      for (const key of keys) {
        if (key === '') m.valueEmptyKeyCount++;
        if (key.length > m.valueMaxKeyLength) m.valueMaxKeyLength = key.length;
        text.push(key);
        visit(node[key], depth + 1);
      }
    }
  };
  visit(value, 0);
  // Top-level scalars are not "null leaves" or "unsafe json numbers": the type rules judge those.
  if (!isContainer(value)) {
    m.valueNullLeaves = 0;
    m.valueUnsafeNumbers = 0;
  }
  m.valueText = text.join('\n');
  return m;
}

export function isContainer(value: JsonValue): value is JsonValue[] | { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null;
}

export function isPlainObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
