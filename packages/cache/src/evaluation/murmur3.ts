/* eslint-disable no-bitwise -- a hash function is bit arithmetic */
/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's reference `MurmurHash3_x86_32`), over the UTF-8 bytes
 * of a text. Unleash's clients and flagd bucket with this hash; for ASCII texts (the usual ids) it equals
 * the `murmurhash3js` package Unleash's Node client uses, which reads UTF-16 code units' low bytes instead.
 */
export function murmur3X86_32(text: string, seed = 0): number {
  // ASCII texts (nearly every id) are their own bytes; others become one character per UTF-8 byte.
  const data = NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
  const length = data.length;
  const byteAt = (i: number) => data.charCodeAt(i);
  let h = seed >>> 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = byteAt(i) | (byteAt(i + 1) << 8) | (byteAt(i + 2) << 16) | (byteAt(i + 3) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = byteAt(blocks);
    if (tail > 1) k |= byteAt(blocks + 1) << 8;
    if (tail > 2) k |= byteAt(blocks + 2) << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const NON_ASCII = /[^\0-\x7f]/;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
