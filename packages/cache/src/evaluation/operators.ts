/**
 * The targeting operators: one definition, read by the validator (`@ffc/rules` accepts exactly these names
 * and checks values by `values`) and compiled by the evaluator. This module imports nothing, so the
 * validator's bundle takes it without Redis or OpenFeature.
 */

export type TargetingValue = string | number;

/** What an operator's values must be: the validator checks them, the evaluator relies on it. */
export type OperatorValues = 'text' | 'number' | 'semver' | 'regex';

/** A compiled rule's test of one context attribute (never called with undefined or null). */
export type AttributeTest = (attribute: unknown) => boolean;

export interface OperatorDefinition {
  readonly values: OperatorValues;
  /** Matches part of the attribute (a one-character value matches nearly everyone). */
  readonly partial: boolean;
  /** Compiles a rule's values once; the test says whether an attribute matches any of them. */
  compile(values: readonly TargetingValue[]): AttributeTest;
}

/** MAJOR.MINOR.PATCH with an optional pre-release, no build metadata (semver 2.0.0 §9). */
export const SEMVER_PATTERN = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?$/;

const text = (compile: (values: readonly string[]) => (attribute: string) => boolean, partial = false) =>
  define('text', partial, (values) => {
    const test = compile(values.map(String));
    return (attribute) => {
      const form = textOf(attribute);
      return form !== undefined && test(form);
    };
  });

const numeric = (pick: (values: number[]) => number, test: (attribute: number, bound: number) => boolean) =>
  define('number', false, (values) => {
    // Any value matching is the same as the loosest bound matching.
    const bound = pick(values.map(Number));
    return (attribute) => {
      const n = numberOf(attribute);
      return n !== undefined && test(n, bound);
    };
  });

const semver = (test: (order: number) => boolean) =>
  define('semver', false, (values) => {
    const versions = values.map((v) => parseSemver(String(v))).filter((v) => v !== undefined);
    return (attribute) => {
      const form = textOf(attribute);
      const version = form === undefined ? undefined : parseSemver(form);
      return version !== undefined && versions.some((v) => test(compareSemver(version, v)));
    };
  });

export const OPERATORS = {
  in: text((values) => {
    const set = new Set(values);
    return (attribute) => set.has(attribute);
  }),
  notIn: text((values) => {
    const set = new Set(values);
    return (attribute) => !set.has(attribute);
  }),
  startsWith: text((values) => (attribute) => values.some((v) => attribute.startsWith(v)), true),
  endsWith: text((values) => (attribute) => values.some((v) => attribute.endsWith(v)), true),
  contains: text((values) => (attribute) => values.some((v) => attribute.includes(v)), true),
  matches: define('regex', false, (values) => {
    const patterns = values.map((v) => new RegExp(String(v)));
    return (attribute) => {
      const form = textOf(attribute);
      return form !== undefined && patterns.some((p) => p.test(form));
    };
  }),
  lt: numeric(
    (v) => Math.max(...v),
    (a, bound) => a < bound,
  ),
  lte: numeric(
    (v) => Math.max(...v),
    (a, bound) => a <= bound,
  ),
  gt: numeric(
    (v) => Math.min(...v),
    (a, bound) => a > bound,
  ),
  gte: numeric(
    (v) => Math.min(...v),
    (a, bound) => a >= bound,
  ),
  semverEq: semver((order) => order === 0),
  semverLt: semver((order) => order < 0),
  semverGte: semver((order) => order >= 0),
} satisfies Record<string, OperatorDefinition>;

export type TargetingOperator = keyof typeof OPERATORS;

/** Every operator the validator accepts and the evaluator implements, in one list. */
export const TARGETING_OPERATORS = Object.keys(OPERATORS) as readonly TargetingOperator[];

export function isTargetingOperator(name: string): name is TargetingOperator {
  return Object.hasOwn(OPERATORS, name);
}

/** The operators whose values are of one kind (the validator checks each kind's values). */
export function operatorsTaking(values: OperatorValues): ReadonlySet<string> {
  return new Set(TARGETING_OPERATORS.filter((name) => OPERATORS[name].values === values));
}

/** The operators that match part of an attribute. */
export const PARTIAL_MATCH_OPERATORS: ReadonlySet<string> = new Set(
  TARGETING_OPERATORS.filter((name) => OPERATORS[name].partial),
);

function define(values: OperatorValues, partial: boolean, compile: OperatorDefinition['compile']): OperatorDefinition {
  return { values, partial, compile };
}

/** Text operators compare an attribute's text form: services send ids and booleans as they have them. */
function textOf(attribute: unknown): string | undefined {
  if (typeof attribute === 'string') return attribute;
  return typeof attribute === 'number' || typeof attribute === 'boolean' ? String(attribute) : undefined;
}

/** Numeric operators take numbers and numeric texts (headers and query strings arrive as text). */
function numberOf(attribute: unknown): number | undefined {
  const n =
    typeof attribute === 'number'
      ? attribute
      : typeof attribute === 'string' && attribute.trim() !== ''
        ? Number(attribute)
        : NaN;
  return Number.isFinite(n) ? n : undefined;
}

interface Semver {
  readonly core: readonly [number, number, number];
  readonly pre: readonly string[];
}

function parseSemver(textForm: string): Semver | undefined {
  const m = SEMVER_PATTERN.exec(textForm);
  if (!m) return undefined;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] === undefined ? [] : m[4].split('.') };
}

/** Semver 2.0.0 §11 precedence: negative when a < b. */
function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i] - b.core[i];
  // A pre-release sorts before its release.
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const order = compareIdentifier(a.pre[i], b.pre[i]);
    if (order !== 0) return order;
  }
  return a.pre.length - b.pre.length;
}

function compareIdentifier(a: string, b: string): number {
  const numericA = /^[0-9]+$/.test(a);
  const numericB = /^[0-9]+$/.test(b);
  if (numericA && numericB) return Number(a) - Number(b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
