/** Input that is not a flag change at all (not JSON, wrong shape); `path` names the offending field. */
export class FlagChangeParseError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'flag change'}: ${problem}`);
    this.name = 'FlagChangeParseError';
  }
}
