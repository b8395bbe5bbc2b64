import { CURRENT_SK, FLAG_PK_PREFIX, PUBLISHED_SK_PREFIX, VERIFIED_SK_PREFIX } from '@ffc/identifiers';
import { InvalidFlagInputError } from './errors';

// The item keys the verification state machine writes too are @ffc/identifiers'.
export { CURRENT_SK, FLAG_PK_PREFIX, PUBLISHED_SK_PREFIX, VERIFIED_SK_PREFIX };

/** History sort keys are zero-padded to this many digits so they sort numerically. */
const VERSION_DIGITS = 12;
export const MAX_VERSION = 10 ** VERSION_DIGITS - 1;

export const VERSION_SK_PREFIX = 'V#';
/** Reverse index: under a prerequisite's pk, one item per flag that has named it as a prerequisite. */
export const DEPENDENT_SK_PREFIX = 'DEPENDENT#';

/** `what` names the argument in the error, e.g. `document.version` or `expectedVersion`. */
export function assertVersion(version: unknown, what: string, { allowZero = false } = {}): number {
  if (!(isStoredVersion(version) || (allowZero && version === 0))) {
    const min = allowZero ? 0 : 1;
    throw new InvalidFlagInputError(
      `${what} must be an integer from ${min} to ${MAX_VERSION}, got ${JSON.stringify(version)}`,
    );
  }
  return version;
}

export function flagPk(flagKey: string): string {
  return `${FLAG_PK_PREFIX}${flagKey}`;
}

export function versionSk(version: number): string {
  return `${VERSION_SK_PREFIX}${String(version).padStart(VERSION_DIGITS, '0')}`;
}

export function dependentSk(dependentFlagKey: string): string {
  return `${DEPENDENT_SK_PREFIX}${dependentFlagKey}`;
}

export function verifiedSk(region: string): string {
  return `${VERIFIED_SK_PREFIX}${region}`;
}

export function publishedSk(region: string): string {
  return `${PUBLISHED_SK_PREFIX}${region}`;
}

/** A version as the table stores it: a JSON number from 1 to MAX_VERSION (never a string such as "0x10"). */
export function isStoredVersion(version: unknown): version is number {
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 && version <= MAX_VERSION;
}
