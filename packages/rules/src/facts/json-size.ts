/**
 * `Buffer.byteLength(JSON.stringify(value))` without building the string: the size facts are read for
 * every change, and on Node 20 stringifying a whole change was the largest single cost of a validation.
 * Exact for what JSON.stringify accepts without a `toJSON` or a replacer (a parsed change has neither).
 * Returns undefined where JSON.stringify would (undefined, functions, symbols at the top).
 */
export function jsonByteLength(value: unknown): number | undefined {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : NULL_BYTES;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      if (value === null) return NULL_BYTES;
      return Array.isArray(value) ? arrayBytes(value) : objectBytes(value as Record<string, unknown>);
    default:
      return undefined;
  }
}

const NULL_BYTES = 4;

function arrayBytes(items: readonly unknown[]): number {
  // Brackets and commas; an item JSON cannot write (undefined, a function) is written as null.
  let bytes = 2 + Math.max(0, items.length - 1);
  for (const item of items) bytes += jsonByteLength(item) ?? NULL_BYTES;
  return bytes;
}

function objectBytes(object: Record<string, unknown>): number {
  let bytes = 2;
  let members = 0;
  // Keys and values as two lists: reading `object[key]` by name costs a lookup per member.
  const keys = Object.keys(object);
  const values = Object.values(object);
  for (let i = 0; i < keys.length; i++) {
    // A member JSON cannot write is left out, key and all.
    const valueBytes = jsonByteLength(values[i]);
    if (valueBytes === undefined) continue;
    bytes += stringBytes(keys[i]) + 1 + valueBytes;
    members++;
  }
  return bytes + Math.max(0, members - 1);
}

/** UTF-8 bytes of a string as JSON writes it: quoted, with its escapes. */
function stringBytes(text: string): number {
  // Nearly every string is printable ASCII with no quote or backslash: one native regex pass says so.
  if (!NEEDS_WALK.test(text)) return text.length + 2;
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += c < 0x20 ? controlBytes(c) : c === 0x22 || c === 0x5c ? 2 : 1;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c < 0xd800 || c > 0xdfff) {
      bytes += 3;
    } else if (c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else {
      bytes += 6;
    } // a lone surrogate is written as a \udXXX escape
  }
  return bytes;
}

const NEEDS_WALK = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** \b \t \n \f \r have two-character escapes; other control characters are written as \u00XX. */
const controlBytes = (c: number) => (c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6);
