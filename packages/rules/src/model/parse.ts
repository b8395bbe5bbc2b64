import {
  CHANGE_KINDS,
  FLAG_PURPOSES,
  FLAG_TYPES,
  FlagChange,
  JsonValue,
  Prerequisite,
  Rollout,
  TargetingRule,
  ValueConstraints,
  Variants,
} from './flag-change';
import { FlagChangeParseError } from './parse-error';

/**
 * Hard input limits that protect the parser and the validator; the business limits (64 KB, depth 8, five
 * prerequisites) are rules. Every listed prerequisite costs a read of the flag table before any rule runs,
 * so their number is bounded here, far above the rule's limit.
 */
export const PARSE_LIMITS = {
  maxInputChars: 1_000_000,
  maxDepth: 32,
  maxNodes: 100_000,
  maxPrerequisites: 100,
} as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
type Obj = Record<string, unknown>;

/** Parses JSON text into a flag change; throws FlagChangeParseError for anything that is not one. */
export function parseFlagChangeJson(text: string): FlagChange {
  if (text.length > PARSE_LIMITS.maxInputChars) {
    throw new FlagChangeParseError(
      '',
      `input is ${text.length} characters; the limit is ${PARSE_LIMITS.maxInputChars}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FlagChangeParseError('', `not valid JSON (${(error as Error).message})`);
  }
  return parseFlagChange(raw);
}

/**
 * Checks the shape of an unknown value and returns a fresh, plain flag change. Semantic checks (key
 * format, bounds, catalogue membership) are business rules, so that every violation is reported at once.
 *
 * Every field is present, an absent optional one as `undefined` (which JSON and the flag store's writers
 * leave out): one object shape for every parsed change, so each read of it while validating is a single
 * load. Deleting the absent fields instead made every parsed change a hash table (F26).
 */
export function parseFlagChange(input: unknown): FlagChange {
  const budget = { nodes: 0, chars: 0 };
  const doc = object(input, '');
  rejectUnknownFields(doc, '', FIELDS);
  const optional = <T>(key: string, parse: (v: unknown, path: string) => T): T | undefined =>
    doc[key] === undefined ? undefined : parse(doc[key], key);
  const change: FlagChange = {
    flagKey: string(doc.flagKey, 'flagKey'),
    stage: string(doc.stage, 'stage'),
    type: oneOf(doc.type, 'type', FLAG_TYPES),
    value: json(doc.value, 'value', 0, budget),
    offValue: optional('offValue', (v, p) => json(v, p, 0, budget)),
    variants: optional('variants', variants),
    constraints: optional('constraints', constraints),
    purpose: optional('purpose', (v, p) => oneOf(v, p, FLAG_PURPOSES)),
    services: stringArray(doc.services, 'services'),
    regions: optional('regions', stringArray),
    rollout: optional('rollout', rollout),
    targeting: optional('targeting', (v, p) => array(v, p).map((r, i) => targetingRule(r, `${p}[${i}]`))),
    owner: string(doc.owner, 'owner'),
    description: string(doc.description, 'description'),
    changedBy: string(doc.changedBy, 'changedBy'),
    reason: string(doc.reason, 'reason'),
    ticket: optional('ticket', string),
    approvedBy: optional('approvedBy', string),
    temporary: optional('temporary', boolean),
    expiresAt: optional('expiresAt', string),
    prerequisites: optional('prerequisites', (v, p) =>
      array(v, p, PARSE_LIMITS.maxPrerequisites).map((r, i) => prerequisite(r, `${p}[${i}]`, budget)),
    ),
    tags: optional('tags', stringArray),
    version: number(doc.version, 'version'),
    kind: oneOf(doc.kind ?? 'change', 'kind', CHANGE_KINDS),
    changedAt: string(doc.changedAt, 'changedAt'),
  };
  return change;
}

const FIELDS = [
  'flagKey',
  'stage',
  'type',
  'value',
  'offValue',
  'variants',
  'constraints',
  'purpose',
  'services',
  'regions',
  'rollout',
  'targeting',
  'owner',
  'description',
  'changedBy',
  'reason',
  'ticket',
  'approvedBy',
  'temporary',
  'expiresAt',
  'prerequisites',
  'tags',
  'version',
  'kind',
  'changedAt',
];

function rollout(input: unknown, path: string): Rollout {
  const o = object(input, path);
  rejectUnknownFields(o, path, ['percentage', 'bucketBy']);
  const percentage = number(o.percentage, `${path}.percentage`);
  return o.bucketBy === undefined ? { percentage } : { percentage, bucketBy: string(o.bucketBy, `${path}.bucketBy`) };
}

function variants(input: unknown, path: string): Variants {
  const o = object(input, path);
  rejectUnknownFields(o, path, ['on', 'off']);
  return {
    on: o.on === undefined ? undefined : string(o.on, `${path}.on`),
    off: o.off === undefined ? undefined : string(o.off, `${path}.off`),
  };
}

/** The shape only: whether the bounds fit the flag's type is FFC-TYPE-031's to say, with the rest. */
function constraints(input: unknown, path: string): ValueConstraints {
  const o = object(input, path);
  rejectUnknownFields(o, path, ['minimum', 'maximum', 'enum', 'pattern', 'requiredKeys']);
  const field = <T>(key: string, parse: (v: unknown, p: string) => T): T | undefined =>
    o[key] === undefined ? undefined : parse(o[key], `${path}.${key}`);
  return {
    minimum: field('minimum', number),
    maximum: field('maximum', number),
    enum: field('enum', stringArray),
    pattern: field('pattern', string),
    requiredKeys: field('requiredKeys', stringArray),
  };
}

function targetingRule(input: unknown, path: string): TargetingRule {
  const o = object(input, path);
  rejectUnknownFields(o, path, ['attribute', 'operator', 'values']);
  const values = array(o.values, `${path}.values`).map((v, i) =>
    typeof v === 'number' ? number(v, `${path}.values[${i}]`) : string(v, `${path}.values[${i}]`),
  );
  return {
    attribute: string(o.attribute, `${path}.attribute`),
    operator: string(o.operator, `${path}.operator`),
    values,
  };
}

function prerequisite(input: unknown, path: string, budget: Budget): Prerequisite {
  const o = object(input, path);
  rejectUnknownFields(o, path, ['flagKey', 'value']);
  return { flagKey: string(o.flagKey, `${path}.flagKey`), value: json(o.value, `${path}.value`, 0, budget) };
}

interface Budget {
  nodes: number;
  chars: number;
}

/** Copies a JSON value, refusing prototype keys, excessive depth and size before they can hurt anyone. */
function json(input: unknown, path: string, depth: number, budget: Budget): JsonValue {
  if (++budget.nodes > PARSE_LIMITS.maxNodes) {
    throw new FlagChangeParseError(path, `more than ${PARSE_LIMITS.maxNodes} JSON nodes; flag values must be small`);
  }
  if (depth > PARSE_LIMITS.maxDepth) {
    throw new FlagChangeParseError(path, `nested deeper than ${PARSE_LIMITS.maxDepth} levels; flatten the value`);
  }
  if (input === null || typeof input === 'boolean') return input;
  if (typeof input === 'number') return number(input, path);
  if (typeof input === 'string') {
    budget.chars += input.length;
    if (budget.chars > PARSE_LIMITS.maxInputChars) {
      throw new FlagChangeParseError(path, `strings exceed ${PARSE_LIMITS.maxInputChars} characters in total`);
    }
    return input;
  }
  if (Array.isArray(input)) return input.map((item, i) => json(item, `${path}[${i}]`, depth + 1, budget));
  const o = object(input, path);
  const copy: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(o)) copy[key] = json(o[key], `${path}.${key}`, depth + 1, budget);
  return copy;
}

function object(input: unknown, path: string): Obj {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FlagChangeParseError(path, `must be an object, got ${describe(input)}`);
  }
  const proto = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) {
    throw new FlagChangeParseError(path, 'must be a plain JSON object');
  }
  for (const key of Object.keys(input)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new FlagChangeParseError(
        `${path}${path ? '.' : ''}${key}`,
        'is a reserved key that could alter prototypes',
      );
    }
  }
  return input as Obj;
}

function rejectUnknownFields(o: Obj, path: string, known: readonly string[]): void {
  const unknown = Object.keys(o).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new FlagChangeParseError(
      `${path}${path ? '.' : ''}${unknown[0]}`,
      `unknown field; allowed fields are ${known.join(', ')}`,
    );
  }
}

function array(input: unknown, path: string, maxItems = Infinity): unknown[] {
  if (!Array.isArray(input)) throw new FlagChangeParseError(path, `must be an array, got ${describe(input)}`);
  if (input.length > maxItems) {
    throw new FlagChangeParseError(path, `${input.length} entries; at most ${maxItems} are read`);
  }
  return input;
}

function stringArray(input: unknown, path: string): string[] {
  return array(input, path).map((v, i) => string(v, `${path}[${i}]`));
}

function string(input: unknown, path: string): string {
  if (typeof input !== 'string') throw new FlagChangeParseError(path, `must be a string, got ${describe(input)}`);
  return input;
}

function number(input: unknown, path: string): number {
  if (typeof input !== 'number' || !Number.isFinite(input)) {
    throw new FlagChangeParseError(path, `must be a finite number, got ${describe(input)}`);
  }
  return input;
}

function boolean(input: unknown, path: string): boolean {
  if (typeof input !== 'boolean') throw new FlagChangeParseError(path, `must be true or false, got ${describe(input)}`);
  return input;
}

function oneOf<T extends string>(input: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(input as T)) {
    throw new FlagChangeParseError(path, `must be one of ${allowed.join(', ')}, got ${describe(input)}`);
  }
  return input as T;
}

function describe(input: unknown): string {
  if (input === undefined) return 'nothing (the field is missing)';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input === 'string' ? JSON.stringify(input.slice(0, 40)) : typeof input;
}
