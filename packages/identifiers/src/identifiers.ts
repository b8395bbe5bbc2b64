import { IdentifierGrammar, InvalidIdentifierError, identifierProblem } from './grammar';

/**
 * Stage names (`live`, `pr-142`) prefix every resource name (`<stage>-<purpose>`), the audit alias
 * (`ffc-audit-<stage>`) and the Redis hash tag (`{<stage>}`): 2 to 20 characters, so the longest queue
 * name, `<stage>-fanoutdlq-<service>`, stays within SQS's 80.
 */
export const STAGE_NAME: IdentifierGrammar = {
  kind: 'stage name',
  pattern: /^[a-z][a-z0-9-]{1,19}$/,
  hint: 'lowercase letters, digits and dashes, 2-20 characters, starting with a letter: it becomes part of every resource name',
  minLength: 2,
  maxLength: 20,
};

/** Flag keys name the flag in the table, the cache and the audit: 3 to 64 characters. */
export const FLAG_KEY: IdentifierGrammar = {
  kind: 'flag key',
  pattern: /^[a-z][a-z0-9-]{2,63}$/,
  hint: 'lowercase letters, digits and dashes, 3-64 characters, starting with a letter',
  minLength: 3,
  maxLength: 64,
};

/** Service ids name a queue each (`<stage>-fanout-<id>`) and are SNS filter values: 2 to 40 characters. */
export const SERVICE_ID: IdentifierGrammar = {
  kind: 'service id',
  pattern: /^[a-z][a-z0-9-]{1,39}$/,
  hint: 'lowercase letters, digits and dashes, 2-40 characters: use the id from the service catalogue',
  minLength: 2,
  maxLength: 40,
};

/** Team ids own flags and services in the catalogue: 2 to 40 characters. */
export const TEAM_ID: IdentifierGrammar = {
  kind: 'team id',
  pattern: /^[a-z][a-z0-9-]{1,39}$/,
  hint: 'lowercase letters, digits and dashes, 2-40 characters: use a team of the service catalogue',
  minLength: 2,
  maxLength: 40,
};

/** AWS region codes: `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`. */
export const REGION_CODE: IdentifierGrammar = {
  kind: 'region code',
  pattern: /^[a-z]{2}(-[a-z]+){1,2}-\d{1,2}$/,
  hint: "an AWS region code such as 'eu-west-1'",
  minLength: 1,
  maxLength: 20,
};

export const STAGE_NAME_PATTERN = STAGE_NAME.pattern;
export const FLAG_KEY_PATTERN = FLAG_KEY.pattern;
export const SERVICE_ID_PATTERN = SERVICE_ID.pattern;
export const TEAM_ID_PATTERN = TEAM_ID.pattern;
export const REGION_CODE_PATTERN = REGION_CODE.pattern;

export class InvalidStageNameError extends InvalidIdentifierError {
  constructor(value: unknown) {
    super(STAGE_NAME, value);
  }
}

export class InvalidFlagKeyError extends InvalidIdentifierError {
  constructor(value: unknown) {
    super(FLAG_KEY, value);
  }
}

export class InvalidServiceIdError extends InvalidIdentifierError {
  constructor(value: unknown) {
    super(SERVICE_ID, value);
  }
}

export class InvalidTeamIdError extends InvalidIdentifierError {
  constructor(value: unknown) {
    super(TEAM_ID, value);
  }
}

export class InvalidRegionCodeError extends InvalidIdentifierError {
  constructor(value: unknown) {
    super(REGION_CODE, value);
  }
}

export const isStageName = (value: unknown): value is string => identifierProblem(STAGE_NAME, value) === undefined;
export const isFlagKey = (value: unknown): value is string => identifierProblem(FLAG_KEY, value) === undefined;
export const isServiceId = (value: unknown): value is string => identifierProblem(SERVICE_ID, value) === undefined;
export const isTeamId = (value: unknown): value is string => identifierProblem(TEAM_ID, value) === undefined;
export const isRegionCode = (value: unknown): value is string => identifierProblem(REGION_CODE, value) === undefined;

/** Returns the stage name, or throws InvalidStageNameError saying what is wrong with it. */
export function assertStageName(value: unknown): string {
  if (!isStageName(value)) throw new InvalidStageNameError(value);
  return value;
}

/** Returns the flag key, or throws InvalidFlagKeyError saying what is wrong with it. */
export function assertFlagKey(value: unknown): string {
  if (!isFlagKey(value)) throw new InvalidFlagKeyError(value);
  return value;
}

/** Returns the service id, or throws InvalidServiceIdError saying what is wrong with it. */
export function assertServiceId(value: unknown): string {
  if (!isServiceId(value)) throw new InvalidServiceIdError(value);
  return value;
}

/** Returns the team id, or throws InvalidTeamIdError saying what is wrong with it. */
export function assertTeamId(value: unknown): string {
  if (!isTeamId(value)) throw new InvalidTeamIdError(value);
  return value;
}

/** Returns the region code, or throws InvalidRegionCodeError saying what is wrong with it. */
export function assertRegionCode(value: unknown): string {
  if (!isRegionCode(value)) throw new InvalidRegionCodeError(value);
  return value;
}
