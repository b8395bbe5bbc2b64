/**
 * The flag table's item keys and its one per-region write. The store (at run time) and the verification
 * state machine (an UpdateItem task in the ASL) both write a region's facts; the construct library is
 * published and may depend on no private package, so the definition lives here, once.
 */
export const FLAG_PK_PREFIX = 'FLAG#';
/** The sort key of a flag's current document: the one item the stream validator's event filter selects. */
export const CURRENT_SK = 'CURRENT';
export const VERIFIED_SK_PREFIX = 'VERIFIED#';
export const PUBLISHED_SK_PREFIX = 'PUBLISHED#';

/** A region's fact about a flag: the highest version verified, or handed to the fan-out, there. */
export type RegionalFact = 'verified' | 'published';

/**
 * The UpdateItem of one region's fact (pk `FLAG#<flagKey>`, sk `<skPrefix><region>`): it only ever raises the
 * version, so a late or repeated write is refused (ConditionalCheckFailed) and leaves the higher one. The
 * caller binds `:version` (a number), `:at` (an ISO 8601 time) and `:region` (the region code).
 */
export interface RegionalFactUpdate {
  readonly skPrefix: string;
  readonly updateExpression: string;
  readonly conditionExpression: string;
  readonly expressionAttributeNames: Readonly<Record<string, string>>;
  /** Every attribute the write touches, the key included (the IAM condition `dynamodb:Attributes`). */
  readonly attributes: readonly string[];
  /** The attribute that holds the version. */
  readonly versionAttribute: string;
}

export function regionalFactUpdate(fact: RegionalFact): RegionalFactUpdate {
  const versionAttribute = `${fact}Version`;
  const atAttribute = `${fact}At`;
  return {
    skPrefix: fact === 'verified' ? VERIFIED_SK_PREFIX : PUBLISHED_SK_PREFIX,
    // REGION is a DynamoDB reserved word; the others are named alike for one shape.
    updateExpression: 'SET #version = :version, #at = :at, #region = :region',
    conditionExpression: 'attribute_not_exists(#version) OR #version < :version',
    expressionAttributeNames: { '#version': versionAttribute, '#at': atAttribute, '#region': 'region' },
    attributes: ['pk', 'sk', versionAttribute, atAttribute, 'region'],
    versionAttribute,
  };
}
