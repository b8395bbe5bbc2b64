import { createHash } from 'node:crypto';
import { SqsMessageAttributeValue } from './backend';

/** Transport type bytes of the SQS attribute digest: which value member is set, not the DataType. */
const STRING = 1;
const BINARY = 2;
const STRING_LIST = 3;
const BINARY_LIST = 4;

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes) as the SQS Developer Guide's "Calculating the MD5
 * message digest for message attributes" defines it: attributes sorted by name, each encoded as length-prefixed
 * (4-byte big-endian) name and data type, one transport-type byte, then the length-prefixed value(s).
 * Undefined when there are no attributes: SQS then omits the digest.
 */
export function md5OfMessageAttributes(
  attributes: Record<string, SqsMessageAttributeValue> | undefined,
): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (!attributes || names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.byteLength);
    hash.update(length).update(bytes);
  };
  const text = (value: string) => field(Buffer.from(value, 'utf8'));
  for (const name of names) {
    const value = attributes[name];
    text(name);
    text(value.DataType);
    if (value.StringValue !== undefined) {
      hash.update(Uint8Array.of(STRING));
      text(value.StringValue);
    } else if (value.BinaryValue !== undefined) {
      hash.update(Uint8Array.of(BINARY));
      field(value.BinaryValue);
    } else if (value.StringListValues !== undefined) {
      hash.update(Uint8Array.of(STRING_LIST));
      value.StringListValues.forEach(text);
    } else if (value.BinaryListValues !== undefined) {
      hash.update(Uint8Array.of(BINARY_LIST));
      value.BinaryListValues.forEach(field);
    }
  }
  return hash.digest('hex');
}
