import { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { FLAG_KEY, identifierProblem } from '@ffc/identifiers';
import { MalformedStreamRecordError } from './errors';
import { FlagDocument } from './flag-document';
import { CURRENT_SK, FLAG_PK_PREFIX, isStoredVersion, MAX_VERSION } from './keys';

/** Attribute values as DynamoDB Streams delivers them: `{ S: 'x' }`, `{ N: '1' }`, `{ M: {...} }`, ... */
export type StreamImage = Readonly<Record<string, object>>;

/**
 * The part of a stream record this package reads; both Lambda's `DynamoDBRecord` and the `Record` that
 * DynamoDB Streams' GetRecords returns fit it.
 */
export interface FlagStreamRecordInput {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly Keys?: StreamImage;
    readonly NewImage?: StreamImage;
    readonly OldImage?: StreamImage;
  };
}

export type FlagEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** A write to a flag's CURRENT item: what the validator reacts to. */
export interface FlagStreamChange {
  readonly eventName: FlagEventName;
  readonly flagKey: string;
  /** Absent on REMOVE. */
  readonly newDocument?: FlagDocument;
  /** Absent on INSERT. */
  readonly oldDocument?: FlagDocument;
}

const IMAGES_NEEDED: Record<FlagEventName, { readonly newImage: boolean; readonly oldImage: boolean }> = {
  INSERT: { newImage: true, oldImage: false },
  MODIFY: { newImage: true, oldImage: true },
  REMOVE: { newImage: false, oldImage: true },
};

/**
 * Turns a stream record into the flag change it carries, or null for an item other than a flag's CURRENT
 * (history versions and verification facts are written too, and nobody reacts to them).
 */
export function parseFlagStreamRecord(record: FlagStreamRecordInput): FlagStreamChange | null {
  const fail = (message: string) => new MalformedStreamRecordError(message, record?.eventID);
  if (typeof record !== 'object' || record === null || typeof record.dynamodb !== 'object' || !record.dynamodb) {
    throw fail('has no `dynamodb` section: pass the records of a DynamoDB stream event');
  }
  const eventName = record.eventName as FlagEventName;
  if (!(eventName in IMAGES_NEEDED)) {
    throw fail(`eventName must be INSERT, MODIFY or REMOVE, got ${JSON.stringify(record.eventName)}`);
  }
  const keys = decode(record.dynamodb.Keys, 'Keys', fail);
  if (!keys) throw fail('has no Keys');
  if (typeof keys.pk !== 'string' || typeof keys.sk !== 'string') throw fail('Keys must hold string pk and sk');
  if (!keys.pk.startsWith(FLAG_PK_PREFIX) || keys.sk !== CURRENT_SK) return null;

  const flagKey = keys.pk.slice(FLAG_PK_PREFIX.length);
  const keyProblem = identifierProblem(FLAG_KEY, flagKey);
  if (keyProblem) throw fail(`flag key '${flagKey}' must match ${FLAG_KEY.pattern.source}: it ${keyProblem}`);
  const needed = IMAGES_NEEDED[eventName];
  const newDocument = needed.newImage ? documentIn(record.dynamodb.NewImage, 'NewImage', flagKey, fail) : undefined;
  const oldDocument = needed.oldImage ? documentIn(record.dynamodb.OldImage, 'OldImage', flagKey, fail) : undefined;
  return { eventName, flagKey, newDocument, oldDocument };
}

type Fail = (message: string) => MalformedStreamRecordError;

/** DynamoDB writes numbers in plain decimal; the SDK's unmarshall would read "0x10" as 16 and "1e3" as 1000. */
const DECIMAL_INTEGER = /^[1-9]\d*$/;

function documentIn(image: StreamImage | undefined, name: string, flagKey: string, fail: Fail): FlagDocument {
  const item = decode(image, name, fail);
  if (!item) throw fail(`has no ${name}: the table's stream must use the NEW_AND_OLD_IMAGES view`);
  const raw = image as { version?: { N?: unknown }; document?: { M?: { version?: { N?: unknown } } } };
  for (const [where, attribute] of [
    ['version', raw.version],
    ['document.version', raw.document?.M?.version],
  ] as const) {
    if (attribute !== undefined && !(typeof attribute.N === 'string' && DECIMAL_INTEGER.test(attribute.N))) {
      const shown = typeof attribute.N === 'string' ? attribute.N : JSON.stringify(attribute);
      throw fail(`${name} ${where} ${shown} must be a DynamoDB number in plain decimal from 1`);
    }
  }
  const document = item.document as FlagDocument | undefined;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw fail(`${name} has no document map`);
  }
  // The history's sort keys and every conditional write assume 1..MAX_VERSION; 0 or -3 cannot be a flag version.
  if (!isStoredVersion(item.version)) {
    throw fail(`${name} version ${JSON.stringify(item.version)} must be an integer from 1 to ${MAX_VERSION}`);
  }
  if (document.version !== item.version) {
    throw fail(
      `${name} version ${JSON.stringify(item.version)} disagrees with its document's ${JSON.stringify(document.version)}`,
    );
  }
  if (document.flagKey !== flagKey) throw fail(`${name} document is for '${document.flagKey}', not '${flagKey}'`);
  return document;
}

function decode(image: StreamImage | undefined, name: string, fail: Fail): Record<string, unknown> | undefined {
  if (image === undefined) return undefined;
  try {
    return unmarshall(image as Record<string, AttributeValue>);
  } catch (error) {
    throw fail(`${name} is not DynamoDB attribute-value JSON (${(error as Error).message})`);
  }
}
