import { inRollout, rolloutBucket } from './bucket';
import { DEFAULT_VARIANTS, EvaluationSpec, needsOffValue } from './flag-spec';
import { AttributeTest, isTargetingOperator, OPERATORS } from './operators';

/** OpenFeature's standard reasons, as the evaluator gives them (the strings the SDK defines). */
export const REASONS = {
  static: 'STATIC',
  targetingMatch: 'TARGETING_MATCH',
  split: 'SPLIT',
  default: 'DEFAULT',
  disabled: 'DISABLED',
} as const;
export type EvaluationReason = (typeof REASONS)[keyof typeof REASONS];

export interface Evaluation {
  readonly value: unknown;
  readonly variant: string;
  readonly reason: EvaluationReason;
}

/** The evaluation context: OpenFeature's `targetingKey` stands for `userId`. */
export type EvaluationAttributes = Readonly<Record<string, unknown>>;

/** Finds the compiled flags a flag's prerequisites name (the same service's flags). */
export type FlagLookup = (flagKey: string) => CompiledFlag | undefined;

/** The rules refuse chains deeper than a few links and cycles; this only stops a corrupt cycle. */
const MAX_PREREQUISITE_DEPTH = 16;

/** Thrown when a spec cannot be compiled: an unknown operator or an invalid regular expression. */
export class InvalidEvaluationSpecError extends Error {
  constructor(
    readonly flagKey: string,
    detail: string,
  ) {
    super(`flag '${flagKey}' cannot be evaluated: ${detail}; fix the flag and publish a new version`);
    this.name = 'InvalidEvaluationSpecError';
  }
}

interface CompiledRule {
  readonly attribute: string;
  readonly test: AttributeTest;
}

interface CompiledPrerequisite {
  readonly flagKey: string;
  readonly value: unknown;
  /** JSON of an object value, compared with the served value's JSON. */
  readonly json: string | undefined;
}

/**
 * A flag compiled once per version: operators resolved, values in sets, regular expressions built, and
 * every possible result allocated up front, so an evaluation allocates only the bucketing key.
 */
export class CompiledFlag {
  private readonly rules: readonly CompiledRule[];
  private readonly prerequisites: readonly CompiledPrerequisite[];
  private readonly basis: number;
  private readonly bucketBy: string;
  private readonly on: Evaluation;
  private readonly onSplit: Evaluation;
  private readonly offSplit: Evaluation;
  private readonly offDefault: Evaluation;
  private readonly offDisabled: Evaluation;

  constructor(
    readonly flagKey: string,
    readonly spec: EvaluationSpec,
  ) {
    if (needsOffValue(spec) && spec.offValue === undefined && spec.type !== 'boolean') {
      throw new InvalidEvaluationSpecError(
        flagKey,
        `a ${spec.type} flag with a rollout, targeting or prerequisites needs an offValue`,
      );
    }
    this.rules = (spec.targeting ?? []).map(({ attribute, operator, values }) => {
      if (!isTargetingOperator(operator)) {
        throw new InvalidEvaluationSpecError(flagKey, `unknown operator '${operator}'`);
      }
      try {
        return { attribute, test: OPERATORS[operator].compile(values) };
      } catch (error) {
        throw new InvalidEvaluationSpecError(flagKey, `${operator} on ${attribute}: ${(error as Error).message}`);
      }
    });
    this.prerequisites = (spec.prerequisites ?? []).map(({ flagKey: key, value }) => ({
      flagKey: key,
      value,
      json: typeof value === 'object' && value !== null ? JSON.stringify(value) : undefined,
    }));
    this.basis = spec.rollout ? Math.round(spec.rollout.percentage * 100) : 10_000;
    this.bucketBy = spec.rollout?.bucketBy ?? 'userId';
    const variants = { ...DEFAULT_VARIANTS, ...spec.variants };
    const offValue = spec.offValue ?? (spec.type === 'boolean' ? false : spec.value);
    const result = (value: unknown, variant: string, reason: EvaluationReason) =>
      Object.freeze({ value, variant, reason });
    const dynamic = this.rules.length > 0 || this.prerequisites.length > 0;
    this.on = result(spec.value, variants.on, dynamic ? REASONS.targetingMatch : REASONS.static);
    this.onSplit = result(spec.value, variants.on, REASONS.split);
    this.offSplit = result(offValue, variants.off, REASONS.split);
    this.offDefault = result(offValue, variants.off, REASONS.default);
    this.offDisabled = result(offValue, variants.off, REASONS.disabled);
  }

  /**
   * What this flag serves to one unit, in order: a prerequisite not served at its value, or a rollout
   * of 0 %, is DISABLED (off value); a targeting rule that does not match is DEFAULT (off value); a
   * partial rollout is SPLIT (on or off by the unit's bucket; a unit without the bucketing attribute
   * gets the off value, DEFAULT); otherwise the value, TARGETING_MATCH if anything was checked, else STATIC.
   */
  evaluate(context: EvaluationAttributes, lookup: FlagLookup, depth = 0): Evaluation {
    for (let i = 0; i < this.prerequisites.length; i++) {
      if (!this.prerequisiteMet(this.prerequisites[i], context, lookup, depth)) return this.offDisabled;
    }
    if (this.basis === 0) return this.offDisabled;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      const attribute = attributeOf(context, rule.attribute);
      if (attribute === undefined || attribute === null || !rule.test(attribute)) return this.offDefault;
    }
    if (this.basis >= 10_000) return this.on;
    const unit = attributeOf(context, this.bucketBy);
    if (typeof unit !== 'string' && typeof unit !== 'number') return this.offDefault;
    return inRollout(rolloutBucket(this.flagKey, String(unit)), this.basis / 100) ? this.onSplit : this.offSplit;
  }

  private prerequisiteMet(p: CompiledPrerequisite, context: EvaluationAttributes, lookup: FlagLookup, depth: number) {
    const flag = depth < MAX_PREREQUISITE_DEPTH ? lookup(p.flagKey) : undefined;
    if (!flag) return false;
    const served = flag.evaluate(context, lookup, depth + 1).value;
    return p.json === undefined ? served === p.value : typeof served === 'object' && JSON.stringify(served) === p.json;
  }
}

/** `userId` falls back to OpenFeature's `targetingKey`, which services set to the user's id. */
export function attributeOf(context: EvaluationAttributes, name: string): unknown {
  const value = context[name];
  return value === undefined && name === 'userId' ? context.targetingKey : value;
}

export function compileFlag(flagKey: string, spec: EvaluationSpec): CompiledFlag {
  return new CompiledFlag(flagKey, spec);
}
