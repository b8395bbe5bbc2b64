import { FLAG_KEY_PATTERN, isFlagKey } from '@ffc/identifiers';
import { CorruptEntryError, FlagValueTooLargeError, InvalidFlagUpdateError } from './errors';
import { CompiledFlag } from './evaluation/evaluate';
import { EvaluationSpec, FLAG_TYPES, FlagType, valueMatchesType } from './evaluation/flag-spec';
import { isTargetingOperator, TARGETING_OPERATORS } from './evaluation/operators';

/**
 * Default ceiling on one encoded entry: the SNS/SQS message limit (256 KiB), so whatever the fan-out can
 * deliver is stored. The rules cap the whole flag document at 128 KB (FFC-SIZE-004), of which the entry is
 * a part.
 */
export const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024;

interface UpdateIdentity {
  readonly flagKey: string;
  readonly version: number;
  readonly stage?: string;
  /** ISO-8601 time of the change. @default - the time of apply */
  readonly changedAt?: string;
  /** e.g. `change`, `restore`, `rollback`. @default - not recorded */
  readonly kind?: string;
  /** Which write of this version it is: two regions can each accept one within the replication lag. @default - not recorded */
  readonly correlationId?: string;
  /**
   * The correlation id of the same-version write this one superseded by last-writer-wins: an entry holding
   * that write is replaced (never stored). @default - only a higher version replaces an entry
   */
  readonly replaces?: string;
}

/**
 * What the cache needs of a flag change: its identity and its evaluation spec. `@ffc/rules`' FlagChange is
 * structurally one of these, so the cache stays below the rules package (dependency arrows point down).
 */
export interface FlagUpdate extends UpdateIdentity, EvaluationSpec {}

/** Archiving a flag: a tombstone at a version, so a late delivery of an older version cannot bring it back. */
export interface ArchiveUpdate extends UpdateIdentity {
  readonly archived: true;
}

export type CacheUpdate = FlagUpdate | ArchiveUpdate;

/** One flag as a service sees it: everything it needs to evaluate the flag for any context. */
export interface FlagEntry extends EvaluationSpec {
  readonly flagKey: string;
  readonly version: number;
  readonly changedAt: string;
  readonly kind?: string;
  readonly correlationId?: string;
  /** The same-version write this one replaced (last-writer-wins): a reader serving that write moves to this one. */
  readonly replaces?: string;
}

/** An archived flag: services answer FLAG_NOT_FOUND; the version keeps older deliveries out. */
export interface FlagTombstone {
  readonly flagKey: string;
  readonly version: number;
  readonly changedAt: string;
  readonly kind?: string;
  readonly correlationId?: string;
  readonly replaces?: string;
  readonly archived: true;
}

/**
 * Whether a record supersedes what a reader or cache holds of its flag: a higher version, or the same version
 * replacing the very write held (the apply script's rule, so every holder moves the same way and never back).
 */
export function supersedes(
  record: CacheRecord,
  held: { version: number; correlationId?: string } | undefined,
): boolean {
  if (held === undefined || record.version > held.version) return true;
  return record.version === held.version && record.replaces !== undefined && record.replaces === held.correlationId;
}

/** What a service's hash holds per flag. */
export type CacheRecord = FlagEntry | FlagTombstone;

export function isTombstone<T extends CacheRecord | CacheUpdate>(record: T): record is Extract<T, { archived: true }> {
  return (record as { archived?: unknown }).archived === true;
}

export function assertFlagKey(flagKey: string): string {
  if (!isFlagKey(flagKey)) {
    throw new InvalidFlagUpdateError('flagKey', `'${String(flagKey)}' must match ${FLAG_KEY_PATTERN.source}`);
  }
  return flagKey;
}

/** Checks a change and turns it into the entry the cache stores; throws a typed error on bad input. */
export function toFlagEntry(update: FlagUpdate, maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES, now = new Date()): FlagEntry {
  const record = toCacheRecord(update, maxEntryBytes, now);
  if (isTombstone(record)) throw new InvalidFlagUpdateError('archived', 'an archive is not a flag entry');
  return record;
}

/** Checks a change or an archive and turns it into what the cache stores; throws a typed error on bad input. */
export function toCacheRecord(
  update: CacheUpdate,
  maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES,
  now = new Date(),
): CacheRecord {
  if (update === null || typeof update !== 'object') throw new InvalidFlagUpdateError('change', 'must be an object');
  const { flagKey, version, changedAt, kind, correlationId, replaces } = update;
  assertFlagKey(flagKey);
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new InvalidFlagUpdateError('version', `${JSON.stringify(version)} must be a non-negative integer`);
  }
  if (changedAt !== undefined && (typeof changedAt !== 'string' || Number.isNaN(Date.parse(changedAt)))) {
    throw new InvalidFlagUpdateError('changedAt', `'${String(changedAt)}' must be an ISO-8601 time`);
  }
  if (kind !== undefined && typeof kind !== 'string') throw new InvalidFlagUpdateError('kind', 'must be a string');
  for (const [field, id] of Object.entries({ correlationId, replaces })) {
    if (id !== undefined && (typeof id !== 'string' || id === '')) {
      throw new InvalidFlagUpdateError(field, 'must be a non-empty string (a correlation id)');
    }
  }
  const stamp = changedAt ?? now.toISOString();
  const record: CacheRecord = isTombstone(update)
    ? { flagKey, version, changedAt: stamp, kind, correlationId, replaces, archived: true }
    : { flagKey, version, ...checkSpec(update), changedAt: stamp, kind, correlationId, replaces };
  const bytes = Buffer.byteLength(encodeFlagEntry(record));
  if (bytes > maxEntryBytes) throw new FlagValueTooLargeError(flagKey, bytes, maxEntryBytes);
  return record;
}

/** The spec's fields in one order, checked and compiled once (an invalid regex is refused here, not served). */
function checkSpec(update: FlagUpdate): EvaluationSpec {
  const { type, value, offValue, variants, rollout, targeting, prerequisites } = update;
  if (!FLAG_TYPES.includes(type)) {
    throw new InvalidFlagUpdateError('type', `${JSON.stringify(type)} must be one of ${FLAG_TYPES.join(', ')}`);
  }
  const ofType = (field: string, v: unknown) => {
    if (!valueMatchesType(type, v)) {
      throw new InvalidFlagUpdateError(field, `${JSON.stringify(v) ?? String(v)} is not a ${type} value`);
    }
  };
  ofType('value', value);
  if (offValue !== undefined) ofType('offValue', offValue);
  if (variants !== undefined) {
    for (const name of ['on', 'off'] as const) {
      if (variants[name] !== undefined && typeof variants[name] !== 'string') {
        throw new InvalidFlagUpdateError(`variants.${name}`, 'must be a string');
      }
    }
  }
  if (rollout !== undefined) {
    const { percentage, bucketBy } = rollout;
    if (typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
      throw new InvalidFlagUpdateError(
        'rollout.percentage',
        `${JSON.stringify(percentage)} must be a number from 0 to 100`,
      );
    }
    if (bucketBy !== undefined && typeof bucketBy !== 'string') {
      throw new InvalidFlagUpdateError('rollout.bucketBy', 'must be the name of a context attribute');
    }
  }
  targeting?.forEach(({ attribute, operator, values }, i) => {
    if (typeof attribute !== 'string') {
      throw new InvalidFlagUpdateError(`targeting[${i}].attribute`, 'must be a string');
    }
    if (!isTargetingOperator(operator)) {
      throw new InvalidFlagUpdateError(
        `targeting[${i}].operator`,
        `'${operator}' must be one of ${TARGETING_OPERATORS.join(', ')}`,
      );
    }
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new InvalidFlagUpdateError(`targeting[${i}].values`, 'must be an array of strings and numbers');
    }
  });
  prerequisites?.forEach((p, i) => {
    assertFlagKey(p.flagKey);
    if (p.value === undefined) throw new InvalidFlagUpdateError(`prerequisites[${i}].value`, 'is missing');
  });
  const spec: EvaluationSpec = { type, value, offValue, variants, rollout, targeting, prerequisites };
  try {
    new CompiledFlag(update.flagKey, spec);
  } catch (error) {
    throw new InvalidFlagUpdateError('change', (error as Error).message);
  }
  return spec;
}

export function encodeFlagEntry(record: CacheRecord): string {
  return JSON.stringify(record);
}

/** Parses a record read from Redis or a change message; `where` names its source for the error. */
export function decodeCacheRecord(text: string, where: { key: string; field: string }): CacheRecord {
  let parsed: Partial<FlagEntry & FlagTombstone>;
  try {
    parsed = JSON.parse(text) as Partial<FlagEntry & FlagTombstone>;
  } catch (error) {
    throw new CorruptEntryError(where.key, where.field, (error as Error).message);
  }
  if (typeof parsed?.flagKey !== 'string' || typeof parsed.version !== 'number') {
    throw new CorruptEntryError(where.key, where.field, 'missing flagKey or version');
  }
  if (parsed.archived !== true && !FLAG_TYPES.includes(parsed.type as FlagType)) {
    throw new CorruptEntryError(where.key, where.field, 'missing type');
  }
  return parsed as CacheRecord;
}

/** Parses a live entry; a tombstone is corrupt here (callers that can meet one use decodeCacheRecord). */
export function decodeFlagEntry(text: string, where: { key: string; field: string }): FlagEntry {
  const record = decodeCacheRecord(text, where);
  if (isTombstone(record)) throw new CorruptEntryError(where.key, where.field, 'the flag is archived');
  return record;
}
