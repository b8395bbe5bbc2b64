import { assertFlagKey } from '@ffc/identifiers';
import { FlagDocumentTooLargeError, InvalidFlagInputError } from './errors';
import { dynamoDbSize } from './item-size';
import { assertVersion } from './keys';

/**
 * Why a version exists: an operator's change, the validator's restore of a rejected change, a rollback, or
 * an archive (a tombstone: the flag no longer exists, and this version keeps older deliveries out).
 */
export type ChangeKind = 'change' | 'restore' | 'rollback' | 'archive';
export const CHANGE_KINDS: readonly ChangeKind[] = ['change', 'restore', 'rollback', 'archive'];

/**
 * The whole flag change as the store sees it: only the fields it manages are typed, the rest (value, services,
 * targeting, ...) belongs to the flag model in @ffc/rules and is stored as given.
 */
export interface FlagDocument {
  readonly flagKey: string;
  readonly version: number;
  readonly kind?: ChangeKind;
  /** On a rollback: the version that failed verification. */
  readonly rollbackOf?: number;
  /** On a restore: the version the validator rejected. */
  readonly restoreOf?: number;
  /** On an archive: the version it archived (always version - 1). */
  readonly archiveOf?: number;
  /** On a restore or rollback: the version whose content was written back. */
  readonly sourceVersion?: number;
  readonly changedBy?: string;
  readonly changedAt?: string;
  readonly correlationId?: string;
  /**
   * On a restore or rollback: the region whose handler wrote it. Regions race to write it back and only one
   * wins; a retry in the winning region reads this to finish what it started (its audit).
   */
  readonly writtenIn?: string;
  readonly [field: string]: unknown;
}

/** Fields only the store sets; a plain change never carries them over from the document it was edited from. */
const STORE_MANAGED_FIELDS = ['kind', 'rollbackOf', 'restoreOf', 'archiveOf', 'sourceVersion', 'writtenIn'] as const;

/** Leaves room under DynamoDB's 400 KB item limit for the key and bookkeeping attributes. */
export const MAX_DOCUMENT_BYTES = 350 * 1024;

/** A rollback that itself fails verification must raise an alarm, not trigger another rollback. */
export function isRollback(document: Pick<FlagDocument, 'kind' | 'rollbackOf'>): boolean {
  return document.kind === 'rollback' && Number.isInteger(document.rollbackOf);
}

/** An archive tombstone: readers see no flag, and re-creating it continues from this version. */
export function isArchive(document: Pick<FlagDocument, 'kind'>): boolean {
  return document.kind === 'archive';
}

/**
 * Checks the structure the store relies on and returns the document's JSON form (undefined fields dropped,
 * dates as strings), which is what is stored; the size limit applies to it as DynamoDB counts item size.
 */
export function normaliseDocument(document: unknown, maxBytes = MAX_DOCUMENT_BYTES): FlagDocument {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InvalidFlagInputError(`a flag document must be an object, got ${describe(document)}`);
  }
  const candidate = document as Record<string, unknown>;
  const flagKey = assertFlagKey(candidate.flagKey);
  assertVersion(candidate.version, `version of flag '${flagKey}'`);
  if (candidate.kind !== undefined && !CHANGE_KINDS.includes(candidate.kind as ChangeKind)) {
    throw new InvalidFlagInputError(
      `kind of flag '${flagKey}' must be one of ${CHANGE_KINDS.join(', ')}, got ${JSON.stringify(candidate.kind)}`,
    );
  }
  const normalised = JSON.parse(JSON.stringify(candidate)) as FlagDocument;
  const bytes = dynamoDbSize(normalised);
  if (bytes > maxBytes) throw new FlagDocumentTooLargeError(flagKey, bytes, maxBytes);
  return normalised;
}

/** The document an operator's change stores: always kind 'change', whatever the edited document was. */
export function asChange(document: FlagDocument): FlagDocument {
  return { ...withoutStoreFields(document), kind: 'change' };
}

/** Who writes back an earlier version, and why; a restore or rollback is a change of its own. */
export interface WriteBackOptions {
  readonly changedBy: string;
  readonly changedAt: string;
  readonly correlationId?: string;
  readonly region?: string;
  readonly reason: string;
}

/**
 * A new version carrying an earlier version's content, marked as a restore or a rollback of `replacedVersion`;
 * normalised like any document written (an absent correlation id must not reach DynamoDB as undefined).
 */
export function writeBack(
  source: FlagDocument,
  kind: 'restore' | 'rollback',
  replacedVersion: number,
  options: WriteBackOptions,
  maxBytes = MAX_DOCUMENT_BYTES,
): FlagDocument {
  return normaliseDocument(
    {
      ...withoutStoreFields(source),
      changedBy: options.changedBy,
      changedAt: options.changedAt,
      reason: options.reason,
      // A new version belongs to its own request: an absent id drops the source's, which tied it to another.
      correlationId: options.correlationId,
      writtenIn: options.region,
      flagKey: source.flagKey,
      version: replacedVersion + 1,
      kind,
      [kind === 'restore' ? 'restoreOf' : 'rollbackOf']: replacedVersion,
      sourceVersion: source.version,
    },
    maxBytes,
  );
}

function withoutStoreFields(document: FlagDocument): FlagDocument {
  const copy: Record<string, unknown> = { ...document };
  for (const field of STORE_MANAGED_FIELDS) delete copy[field];
  return copy as FlagDocument;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
