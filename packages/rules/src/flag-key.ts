// The flag-key grammar is @ffc/identifiers'; the rules package re-exports it for its callers.
export { FLAG_KEY_PATTERN, InvalidFlagKeyError, assertFlagKey } from '@ffc/identifiers';
