/** The four value types a flag can carry; services declare which ones they accept. */
export const FLAG_TYPES = ['boolean', 'string', 'number', 'json'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

/**
 * Why a version was written: an operator's `change`, the stream validator's `restore` of the previous
 * version after a rejected write, or the verifier's `rollback` to the last known good version. The stream
 * validator uses it to recognise its own writes and not loop.
 */
export const CHANGE_KINDS = ['change', 'restore', 'rollback'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Gradual exposure: the value applies to `percentage` of units, bucketed by a stable attribute. */
export interface Rollout {
  readonly percentage: number;
  /** Targeting attribute that buckets units; defaults to `userId`. */
  readonly bucketBy?: string;
}

/** Names of the two values a flag serves, reported to services as OpenFeature's `variant`. */
export interface Variants {
  /** The name of `value`. @default 'on' */
  readonly on?: string;
  /** The name of `offValue`. @default 'off' */
  readonly off?: string;
}

/** One targeting rule: the value applies only when the context attribute matches. */
export interface TargetingRule {
  readonly attribute: string;
  readonly operator: string;
  readonly values: ReadonlyArray<string | number>;
}

/**
 * Bounds declared with the flag that every value it serves must satisfy (AWS AppConfig's attribute
 * constraints): FFC-TYPE-031 checks they fit the type, FFC-TYPE-032..035 hold `value` and `offValue` to them.
 */
export interface ValueConstraints {
  /** number flags: the smallest value allowed. */
  readonly minimum?: number;
  /** number flags: the largest value allowed. */
  readonly maximum?: number;
  /** string flags: the only values allowed. */
  readonly enum?: readonly string[];
  /** string flags: a regular expression the whole value matches. */
  readonly pattern?: string;
  /** json flags: top-level keys every (object) value has. */
  readonly requiredKeys?: readonly string[];
}

/**
 * What a flag is for, which sets how long it may live counted from its creation (Unleash's flag types):
 * `release` and `experiment` 40 days, `ops` 7 days, `temporary` 90 days, `permanent` for ever.
 */
export const FLAG_PURPOSES = ['release', 'experiment', 'ops', 'temporary', 'permanent'] as const;
export type FlagPurpose = (typeof FLAG_PURPOSES)[number];

/** This flag is only on when `flagKey` currently serves `value`. */
export interface Prerequisite {
  readonly flagKey: string;
  readonly value: JsonValue;
}

/**
 * One version of a flag in one stage: the document written to the flag table and validated.
 * `version` is the new version; it replaces `version - 1` (version 1 creates the flag).
 */
export interface FlagChange {
  readonly flagKey: string;
  readonly stage: string;
  readonly type: FlagType;
  /** Served to the units that pass the prerequisites, every targeting rule and the rollout. */
  readonly value: JsonValue;
  /**
   * Served to every other unit, of the flag's type: required for a non-boolean flag with a rollout,
   * targeting or prerequisites (FFC-TYPE-028); a boolean's is `false` (FFC-TYPE-029).
   */
  readonly offValue?: JsonValue;
  readonly variants?: Variants;
  /** Bounds every served value satisfies, declared with the flag. */
  readonly constraints?: ValueConstraints;
  /** What the flag is for; absent means `temporary` for a temporary flag, else `permanent`. */
  readonly purpose?: FlagPurpose;
  /** Service ids from the catalogue, or `['*']` for every service. */
  readonly services: readonly string[];
  /** Regions the value applies in; absent means every region. */
  readonly regions?: readonly string[];
  readonly rollout?: Rollout;
  readonly targeting?: readonly TargetingRule[];
  /** The owning team. */
  readonly owner: string;
  readonly description: string;
  readonly changedBy: string;
  readonly reason: string;
  readonly ticket?: string;
  /**
   * Who approved the change: a second person, required for production changes that reach tier-0 services
   * (FFC-PROD-016). Like changedBy, the write path must stamp it from an approval it verified.
   */
  readonly approvedBy?: string;
  readonly temporary?: boolean;
  /** ISO 8601 instant after which a temporary flag must be removed. */
  readonly expiresAt?: string;
  readonly prerequisites?: readonly Prerequisite[];
  readonly tags?: readonly string[];
  readonly version: number;
  readonly kind: ChangeKind;
  /** ISO 8601 instant of the write. */
  readonly changedAt: string;
}
