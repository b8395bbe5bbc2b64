import type { TargetingValue } from './operators';

/** The four value types a flag can carry. */
export type FlagType = 'boolean' | 'string' | 'number' | 'json';
export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'json'];

/** Gradual exposure: the value reaches `percentage` (0-100, two decimals) of units, sticky per unit. */
export interface RolloutSpec {
  readonly percentage: number;
  /** The context attribute that identifies a unit. @default - `userId` (OpenFeature's targetingKey) */
  readonly bucketBy?: string;
}

/** The unit matches when its attribute matches any of the values (notIn: none of them). */
export interface TargetingRuleSpec {
  readonly attribute: string;
  readonly operator: string;
  readonly values: readonly TargetingValue[];
}

/** The flag serves its value only while `flagKey` serves `value` to the same unit. */
export interface PrerequisiteSpec {
  readonly flagKey: string;
  readonly value: unknown;
}

/** Names of the two values, reported as OpenFeature's `variant`. */
export interface VariantNames {
  /** @default 'on' */
  readonly on?: string;
  /** @default 'off' */
  readonly off?: string;
}

/**
 * What a flag serves, the part of a flag change that services evaluate: `value` to the units that pass
 * every prerequisite, every targeting rule and the rollout, `offValue` to everyone else.
 */
export interface EvaluationSpec {
  readonly type: FlagType;
  readonly value: unknown;
  /**
   * Served to units the flag does not reach; same type as `value`. Required when a non-boolean flag has
   * a rollout, targeting or prerequisites (FFC-TYPE-028). @default - `false` for a boolean flag
   */
  readonly offValue?: unknown;
  readonly variants?: VariantNames;
  readonly rollout?: RolloutSpec;
  /** Every rule must match (a unit missing an attribute matches no rule on it). */
  readonly targeting?: readonly TargetingRuleSpec[];
  readonly prerequisites?: readonly PrerequisiteSpec[];
}

export const DEFAULT_VARIANTS = { on: 'on', off: 'off' } as const;

/** Whether a value is of a flag type (a json flag takes any JSON value). */
export function valueMatchesType(type: FlagType, value: unknown): boolean {
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

/** Whether a flag serves something other than `value` to some units. */
export function needsOffValue(spec: EvaluationSpec): boolean {
  return spec.rollout !== undefined || (spec.targeting?.length ?? 0) > 0 || (spec.prerequisites?.length ?? 0) > 0;
}
