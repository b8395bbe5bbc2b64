import { InvalidFlagInputError, InvalidFlagKeyError, InvalidRegionError } from './errors';

/** Flag keys are lowercase kebab-case, 3 to 64 characters, starting with a letter (the same rule as @ffc/rules). */
export const FLAG_KEY_PATTERN = /^[a-z][a-z0-9-]{2,63}$/;

/** AWS region codes, e.g. `eu-west-1`, `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;

/** History sort keys are zero-padded to this many digits so they sort numerically. */
const VERSION_DIGITS = 12;
export const MAX_VERSION = 10 ** VERSION_DIGITS - 1;

/** Sort key of the one item the stream validator reacts to. */
export const CURRENT_SK = 'CURRENT';
export const FLAG_PK_PREFIX = 'FLAG#';
export const VERSION_SK_PREFIX = 'V#';
export const VERIFIED_SK_PREFIX = 'VERIFIED#';
export const PUBLISHED_SK_PREFIX = 'PUBLISHED#';

export function assertFlagKey(flagKey: unknown): string {
  if (typeof flagKey !== 'string' || !FLAG_KEY_PATTERN.test(flagKey)) {
    throw new InvalidFlagKeyError(flagKey, FLAG_KEY_PATTERN);
  }
  return flagKey;
}

export function assertRegion(region: unknown): string {
  if (typeof region !== 'string' || !REGION_PATTERN.test(region)) throw new InvalidRegionError(region);
  return region;
}

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
