import { CorruptEntryError, FlagValueTooLargeError, InvalidFlagUpdateError } from './errors';

export type FlagType = 'boolean' | 'string' | 'number' | 'json';
export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'json'];

/** Flag keys are lowercase kebab-case, 3 to 64 characters (the same contract as `@ffc/rules`). */
export const FLAG_KEY_PATTERN = /^[a-z][a-z0-9-]{2,63}$/;

/** Default ceiling on one encoded entry; the rules cap values far lower, this only guards Redis. */
export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;

/**
 * What the cache needs of a flag change. `@ffc/rules`' FlagChange is structurally one of these, so the
 * cache stays below the rules package (dependency arrows point down).
 */
export interface FlagUpdate {
  readonly flagKey: string;
  readonly version: number;
  readonly type: FlagType;
  readonly value: unknown;
  readonly stage?: string;
  /** ISO-8601 time of the change. @default - the time of apply */
  readonly changedAt?: string;
  /** e.g. `change`, `restore`, `rollback`. @default - not recorded */
  readonly kind?: string;
}

/** One flag as a service sees it. */
export interface FlagEntry {
  readonly flagKey: string;
  readonly version: number;
  readonly type: FlagType;
  readonly value: unknown;
  readonly changedAt: string;
  readonly kind?: string;
}

function valueMatchesType(type: FlagType, value: unknown): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'json':
      return value !== undefined && typeof value !== 'function' && typeof value !== 'bigint';
  }
}

export function assertFlagKey(flagKey: string): string {
  if (typeof flagKey !== 'string' || !FLAG_KEY_PATTERN.test(flagKey)) {
    throw new InvalidFlagUpdateError('flagKey', `'${String(flagKey)}' must match ${FLAG_KEY_PATTERN.source}`);
  }
  return flagKey;
}

/** Checks a change and turns it into the entry the cache stores; throws a typed error on bad input. */
export function toFlagEntry(update: FlagUpdate, maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES, now = new Date()): FlagEntry {
  if (update === null || typeof update !== 'object') throw new InvalidFlagUpdateError('change', 'must be an object');
  const { flagKey, version, type, value, changedAt, kind } = update;
  assertFlagKey(flagKey);
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new InvalidFlagUpdateError('version', `${JSON.stringify(version)} must be a non-negative integer`);
  }
  if (!FLAG_TYPES.includes(type)) {
    throw new InvalidFlagUpdateError('type', `${JSON.stringify(type)} must be one of ${FLAG_TYPES.join(', ')}`);
  }
  if (!valueMatchesType(type, value)) {
    throw new InvalidFlagUpdateError('value', `${JSON.stringify(value) ?? String(value)} is not a ${type} value`);
  }
  if (changedAt !== undefined && Number.isNaN(Date.parse(changedAt))) {
    throw new InvalidFlagUpdateError('changedAt', `'${changedAt}' must be an ISO-8601 time`);
  }
  const entry: FlagEntry = { flagKey, version, type, value, changedAt: changedAt ?? now.toISOString(), kind };
  const bytes = Buffer.byteLength(encodeFlagEntry(entry));
  if (bytes > maxEntryBytes) throw new FlagValueTooLargeError(flagKey, bytes, maxEntryBytes);
  return entry;
}

export function encodeFlagEntry(entry: FlagEntry): string {
  return JSON.stringify(entry);
}

/** Parses an entry read from Redis or a change message; `where` names its source for the error. */
export function decodeFlagEntry(text: string, where: { key: string; field: string }): FlagEntry {
  let parsed: Partial<FlagEntry>;
  try {
    parsed = JSON.parse(text) as Partial<FlagEntry>;
  } catch (error) {
    throw new CorruptEntryError(where.key, where.field, (error as Error).message);
  }
  if (
    typeof parsed?.flagKey !== 'string' ||
    typeof parsed.version !== 'number' ||
    !FLAG_TYPES.includes(parsed.type as FlagType)
  ) {
    throw new CorruptEntryError(where.key, where.field, 'missing flagKey, version or type');
  }
  return parsed as FlagEntry;
}
