/** Flag keys are lowercase kebab-case, 3 to 64 characters, starting with a letter. */
export const FLAG_KEY_PATTERN = /^[a-z][a-z0-9-]{2,63}$/;

export class InvalidFlagKeyError extends Error {
  constructor(readonly flagKey: string) {
    super(
      `flag key '${flagKey}' must match ${FLAG_KEY_PATTERN.source} (lowercase letters, digits and dashes, 3-64 characters)`,
    );
    this.name = 'InvalidFlagKeyError';
  }
}

/** Returns the key if it is a valid flag key, otherwise throws an error that says what a valid key looks like. */
export function assertFlagKey(flagKey: string): string {
  if (!FLAG_KEY_PATTERN.test(flagKey)) throw new InvalidFlagKeyError(flagKey);
  return flagKey;
}
