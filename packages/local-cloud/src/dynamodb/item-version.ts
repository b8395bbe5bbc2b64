import { createHash } from 'node:crypto';
import { AttributeValue } from '@aws-sdk/client-dynamodb-streams';

/** An item image as a stream record carries it; `null` is the absence of the item (after a delete). */
export type ItemImage = Record<string, AttributeValue> | null;

/** One write to one item, as last-writer-wins orders it. */
export interface ItemVersion {
  /** The write timestamp in ms (see startGlobalTableReplication for where it comes from). */
  readonly timestampMs: number;
  /** The region the write was made in. */
  readonly region: string;
  /** The record's sequence number in its region's stream: orders writes of one region within one millisecond. */
  readonly sequenceNumber: bigint;
  readonly image: ItemImage;
  readonly imageHash: string;
}

/**
 * Orders two versions of one item: the later timestamp wins; equal timestamps from two regions go to the
 * lexicographically greater region name (AWS documents no tie-break; any fixed one converges); within one
 * region the later stream record wins. Negative when `a` loses to `b`.
 */
export function compareVersions(a: ItemVersion, b: ItemVersion): number {
  if (a.timestampMs !== b.timestampMs) return a.timestampMs - b.timestampMs;
  if (a.region !== b.region) return a.region < b.region ? -1 : 1;
  return a.sequenceNumber === b.sequenceNumber ? 0 : a.sequenceNumber < b.sequenceNumber ? -1 : 1;
}

/**
 * A canonical text of attribute values: map keys sorted, set members sorted, binary as base64, so equal items
 * give equal text whatever order the engine returns them in.
 */
export function canonicalAttributes(attributes: Record<string, AttributeValue>): string {
  const entries = Object.keys(attributes)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${canonicalValue(attributes[name])}`);
  return `{${entries.join(',')}}`;
}

function canonicalValue(value: AttributeValue): string {
  if (value.S !== undefined) return `S${JSON.stringify(value.S)}`;
  if (value.N !== undefined) return `N${value.N}`;
  if (value.B !== undefined) return `B${Buffer.from(value.B).toString('base64')}`;
  if (value.BOOL !== undefined) return `BOOL${value.BOOL}`;
  if (value.NULL !== undefined) return 'NULL';
  if (value.SS !== undefined) return `SS${JSON.stringify([...value.SS].sort())}`;
  if (value.NS !== undefined) return `NS${JSON.stringify([...value.NS].sort())}`;
  if (value.BS !== undefined) {
    return `BS${JSON.stringify(value.BS.map((b) => Buffer.from(b).toString('base64')).sort())}`;
  }
  if (value.L !== undefined) return `L[${value.L.map(canonicalValue).join(',')}]`;
  if (value.M !== undefined) return `M${canonicalAttributes(value.M)}`;
  throw new TypeError(`unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

/** Identifies an image without keeping a second copy of it in the echo table. */
export function imageHash(image: ItemImage): string {
  return image === null ? 'absent' : createHash('sha256').update(canonicalAttributes(image)).digest('base64');
}
