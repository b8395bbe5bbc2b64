/**
 * The content-filter language shared by EventBridge event patterns and SNS filter policies (both are Event Ruler
 * dialects): a pattern object is compiled once into a tree of leaf tests, then matched against parsed JSON without
 * building intermediate collections. Each dialect says which operators and numbers it accepts.
 */

/** A test of one leaf value of the event (a string, number, boolean or null; never an object or array). */
export type ValueTest = (value: unknown) => boolean;

export interface CompiledLeaf {
  readonly key: string;
  /** Exact values and positive operators: the leaf matches if any event value passes any of them. */
  readonly tests: readonly ValueTest[];
  /** `anything-but` tests, kept apart because SNS applies them to every element of a String.Array attribute. */
  readonly negatedTests: readonly ValueTest[];
  readonly existsTrue: boolean;
  readonly existsFalse: boolean;
  /** How many values the pattern array lists (the unit of SNS's complexity count). */
  readonly valueCount: number;
}

export interface CompiledNode {
  readonly leaves: readonly CompiledLeaf[];
  readonly children: readonly { readonly key: string; readonly node: CompiledNode }[];
  /** Each group is one `$or`: at least one of its branches must match the same object. */
  readonly orGroups: readonly (readonly CompiledNode[])[];
}

export interface FilterDialect {
  /** Throws the dialect's typed error; `path` locates the offending part of the pattern. */
  readonly fail: (path: string, message: string) => never;
  /** Operators allowed in `{ "op": ... }` match objects. */
  readonly operators: ReadonlySet<string>;
  /** Operators allowed inside `anything-but: { ... }`. */
  readonly anythingButOperators: ReadonlySet<string>;
  /** Whether prefix/suffix accept `{ "equals-ignore-case": "..." }` (EventBridge only). */
  readonly caseInsensitiveAffixes: boolean;
  /** Whether anything-but accepts a list of affixes/patterns (EventBridge only). */
  readonly anythingButLists: boolean;
  /** Largest magnitude a number in the pattern may have. */
  readonly numberLimit: number;
  /** Digits after the decimal point numbers are compared at; `undefined` compares doubles as they are. */
  readonly numberDecimals?: number;
  /** The documented number limits, quoted in errors. */
  readonly describeNumberLimit: string;
}

/** Names that make an object in a `$or` array a match expression rather than a branch (Event Ruler's reserved list). */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `$or` is an OR only when it holds an array of at least two objects none of whose keys is reserved;
 * otherwise it is an ordinary field name (documented for both SNS and EventBridge).
 */
function isOrGroup(key: string, value: unknown): value is Record<string, unknown>[] {
  return (
    key === '$or' &&
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((branch) => isPlainObject(branch) && Object.keys(branch).every((name) => !RESERVED_IN_OR.has(name)))
  );
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Compiles one pattern object; `allowNesting` is false for SNS attribute policies (flat, `$or` aside). */
export function compileNode(
  pattern: Record<string, unknown>,
  dialect: FilterDialect,
  path: string,
  allowNesting: boolean,
): CompiledNode {
  const leaves: CompiledLeaf[] = [];
  const children: { key: string; node: CompiledNode }[] = [];
  const orGroups: CompiledNode[][] = [];
  for (const [key, value] of Object.entries(pattern)) {
    const at = childPath(path, key);
    if (isOrGroup(key, value)) {
      orGroups.push(value.map((branch, i) => compileNode(branch, dialect, `${at}[${i}]`, allowNesting)));
    } else if (Array.isArray(value)) {
      leaves.push(compileLeaf(key, value, dialect, at));
    } else if (isPlainObject(value)) {
      if (!allowNesting) {
        dialect.fail(
          at,
          'is a nested object; this scope only matches flat keys (use MessageBody scope to match nested JSON)',
        );
      }
      children.push({ key, node: compileNode(value, dialect, at, allowNesting) });
    } else {
      dialect.fail(at, `must be an object or an array of values, not ${JSON.stringify(value)}`);
    }
  }
  return { leaves, children, orGroups };
}

function compileLeaf(key: string, values: unknown[], dialect: FilterDialect, path: string): CompiledLeaf {
  if (values.length === 0) dialect.fail(path, 'is an empty array; list at least one value to match');
  const tests: ValueTest[] = [];
  const negatedTests: ValueTest[] = [];
  let existsTrue = false;
  let existsFalse = false;
  values.forEach((value, i) => {
    const at = `${path}[${i}]`;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') {
      tests.push((v) => v === value);
    } else if (typeof value === 'number') {
      tests.push(numberEquals(checkNumber(value, dialect, at), dialect));
    } else if (isPlainObject(value)) {
      const entries = Object.entries(value);
      if (entries.length !== 1) {
        dialect.fail(at, `a match expression has exactly one operator, not ${entries.length}`);
      }
      const [operator, operand] = entries[0];
      if (!dialect.operators.has(operator)) {
        dialect.fail(at, `unknown operator "${operator}" (supported: ${[...dialect.operators].join(', ')})`);
      }
      if (operator === 'exists') {
        if (typeof operand !== 'boolean') dialect.fail(at, 'exists takes true or false');
        if (operand) existsTrue = true;
        else existsFalse = true;
      } else if (operator === 'anything-but') {
        negatedTests.push(compileAnythingBut(operand, dialect, `${at}.anything-but`));
      } else {
        tests.push(compileOperator(operator, operand, dialect, `${at}.${operator}`));
      }
    } else {
      dialect.fail(
        at,
        `match values are strings, numbers, true, false, null or one-operator objects, not ${JSON.stringify(value)}`,
      );
    }
  });
  return { key, tests, negatedTests, existsTrue, existsFalse, valueCount: values.length };
}

function compileOperator(operator: string, operand: unknown, dialect: FilterDialect, path: string): ValueTest {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return affixTest(operator, operand, dialect, path);
    case 'equals-ignore-case': {
      const expected = requireString(operand, dialect, path).toLowerCase();
      return (v) => typeof v === 'string' && v.length === expected.length && v.toLowerCase() === expected;
    }
    case 'wildcard':
      return wildcardTest(requireString(operand, dialect, path), dialect, path);
    case 'numeric':
      return numericTest(operand, dialect, path);
    case 'cidr':
      return cidrTest(operand, dialect, path);
    default:
      return dialect.fail(path, `operator "${operator}" is not supported here`);
  }
}

function affixTest(operator: 'prefix' | 'suffix', operand: unknown, dialect: FilterDialect, path: string): ValueTest {
  const ignoreCase = dialect.caseInsensitiveAffixes && isPlainObject(operand);
  if (ignoreCase) {
    const entries = Object.entries(operand);
    if (entries.length !== 1 || entries[0][0] !== 'equals-ignore-case') {
      dialect.fail(path, `takes a string or { "equals-ignore-case": "<string>" }`);
    }
    const affix = requireString(entries[0][1], dialect, `${path}.equals-ignore-case`).toLowerCase();
    return operator === 'prefix'
      ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(affix)
      : (v) => typeof v === 'string' && v.toLowerCase().endsWith(affix);
  }
  const affix = requireString(operand, dialect, path);
  return operator === 'prefix'
    ? (v) => typeof v === 'string' && v.startsWith(affix)
    : (v) => typeof v === 'string' && v.endsWith(affix);
}

function compileAnythingBut(operand: unknown, dialect: FilterDialect, path: string): ValueTest {
  if (isPlainObject(operand)) {
    const entries = Object.entries(operand);
    if (entries.length !== 1 || !dialect.anythingButOperators.has(entries[0][0])) {
      dialect.fail(
        path,
        `takes values or one of { ${[...dialect.anythingButOperators].map((o) => `"${o}"`).join(' | ')}: ... }`,
      );
    }
    const [operator, inner] = entries[0];
    const at = `${path}.${operator}`;
    const operands = Array.isArray(inner) && dialect.anythingButLists ? inner : [inner];
    if (operands.length === 0) dialect.fail(at, 'is an empty list');
    const excluded = operands.map((o, i) =>
      compileOperator(operator, requireString(o, dialect, Array.isArray(inner) ? `${at}[${i}]` : at), dialect, at),
    );
    // Affix and pattern exclusions only apply to strings: a number is neither matched nor excluded by them.
    return (v) => typeof v === 'string' && !passesAny(excluded, v);
  }
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) dialect.fail(path, 'is an empty list; list the values to exclude');
  const allStrings = values.every((v) => typeof v === 'string');
  const allNumbers = values.every((v) => typeof v === 'number');
  if (!allStrings && !allNumbers) dialect.fail(path, 'lists only strings or only numbers');
  if (allStrings) {
    const excluded = new Set(values as string[]);
    return (v) => !(typeof v === 'string' && excluded.has(v));
  }
  const excluded = (values as number[]).map((n, i) => numberEquals(checkNumber(n, dialect, `${path}[${i}]`), dialect));
  return (v) => !passesAny(excluded, v);
}

function passesAny(tests: readonly ValueTest[], value: unknown): boolean {
  for (const test of tests) if (test(value)) return true;
  return false;
}

function requireString(value: unknown, dialect: FilterDialect, path: string): string {
  if (typeof value !== 'string') dialect.fail(path, `takes a string, not ${JSON.stringify(value)}`);
  return value;
}

function checkNumber(value: unknown, dialect: FilterDialect, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    dialect.fail(path, `must be a number, not ${JSON.stringify(value)}`);
  }
  if (Math.abs(value) > dialect.numberLimit) dialect.fail(path, `${value} is outside ${dialect.describeNumberLimit}`);
  if (dialect.numberDecimals !== undefined) {
    const scale = 10 ** dialect.numberDecimals;
    if (Math.round(value * scale) / scale !== value) {
      dialect.fail(path, `${value} has more than ${dialect.numberDecimals} decimals (${dialect.describeNumberLimit})`);
    }
  }
  return value;
}

/** Maps a number onto the scale the dialect compares at (SNS: 5 decimals). */
function comparable(dialect: FilterDialect): (n: number) => number {
  if (dialect.numberDecimals === undefined) return (n) => n;
  const scale = 10 ** dialect.numberDecimals;
  return (n) => Math.round(n * scale);
}

function numberEquals(expected: number, dialect: FilterDialect): ValueTest {
  const scaled = comparable(dialect);
  const target = scaled(expected);
  return (v) => typeof v === 'number' && scaled(v) === target;
}

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function numericTest(operand: unknown, dialect: FilterDialect, path: string): ValueTest {
  const usage = 'takes [op, number] or a range [">"|">=", low, "<"|"<=", high]';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) dialect.fail(path, usage);
  const ops: string[] = [];
  const bounds: number[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op)) {
      dialect.fail(`${path}[${i}]`, `unknown numeric operator ${JSON.stringify(op)} (use =, <, <=, >, >=)`);
    }
    ops.push(op);
    bounds.push(checkNumber(operand[i + 1], dialect, `${path}[${i + 1}]`));
  }
  if (ops.length === 2) {
    if (!LOWER_BOUNDS.has(ops[0]) || !UPPER_BOUNDS.has(ops[1])) dialect.fail(path, `a range ${usage}`);
    if (bounds[0] >= bounds[1]) {
      dialect.fail(path, `the range's lower bound ${bounds[0]} must be below its upper bound ${bounds[1]}`);
    }
  }
  const scaled = comparable(dialect);
  const compare = ops.map((op, i) => {
    const bound = scaled(bounds[i]);
    switch (op) {
      case '=':
        return (n: number) => n === bound;
      case '<':
        return (n: number) => n < bound;
      case '<=':
        return (n: number) => n <= bound;
      case '>':
        return (n: number) => n > bound;
      default:
        return (n: number) => n >= bound;
    }
  });
  const [first, second] = compare;
  return second
    ? (v) => typeof v === 'number' && first(scaled(v)) && second(scaled(v))
    : (v) => typeof v === 'number' && first(scaled(v));
}

function wildcardTest(pattern: string, dialect: FilterDialect, path: string): ValueTest {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') dialect.fail(path, 'a backslash may only escape * or \\');
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') dialect.fail(path, 'consecutive * wildcards are not allowed');
      source += '.*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${source}$`, 's');
  return (v) => typeof v === 'string' && regex.test(v);
}

/** An address as 16-bit groups (IPv4: 2 groups, IPv6: 8), or undefined when the text is no address. */
function parseIp(text: string): number[] | undefined {
  if (text.includes('.') && !text.includes(':')) {
    const parts = text.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
    const [a, b, c, d] = parts.map(Number);
    return [a * 256 + b, c * 256 + d];
  }
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

function cidrTest(operand: unknown, dialect: FilterDialect, path: string): ValueTest {
  const text = requireString(operand, dialect, path);
  const [address, bitsText, ...rest] = text.split('/');
  const network = parseIp(address);
  const maxBits = network ? network.length * 16 : 0;
  const bits = Number(bitsText);
  if (!network || rest.length > 0 || !/^\d+$/.test(bitsText ?? '') || bits > maxBits) {
    dialect.fail(path, `"${text}" is not a CIDR block such as 10.0.0.0/24 or 2001:db8::/32`);
  }
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = parseIp(v);
    if (!ip || ip.length !== network.length) return false;
    for (let group = 0, left = bits; left > 0; group++, left -= 16) {
      // Compare the group's leading `left` bits (all 16 when the prefix covers it).
      const unit = 2 ** Math.max(16 - left, 0);
      if (Math.floor(ip[group] / unit) !== Math.floor(network[group] / unit)) return false;
    }
    return true;
  };
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Whether the event holds a leaf value at this field: exists matching only works on leaf nodes. */
function hasLeafValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasLeafValue);
  return value !== undefined && !isPlainObject(value);
}

/** Arrays in the event match if any element matches (nested arrays are flattened, objects are not leaves). */
export function anyLeafPasses(value: unknown, test: ValueTest): boolean {
  if (Array.isArray(value)) {
    for (const element of value) if (anyLeafPasses(element, test)) return true;
    return false;
  }
  return !isPlainObject(value) && test(value);
}

function matchLeaf(leaf: CompiledLeaf, value: unknown): boolean {
  if (!hasLeafValue(value)) return leaf.existsFalse;
  if (leaf.existsTrue) return true;
  for (const test of leaf.tests) if (anyLeafPasses(value, test)) return true;
  for (const test of leaf.negatedTests) if (anyLeafPasses(value, test)) return true;
  return false;
}

function containsObject(value: unknown[]): boolean {
  return value.some((element) => isPlainObject(element) || (Array.isArray(element) && containsObject(element)));
}

/**
 * A nested pattern meeting an array matches if one element matches all of it (array-consistent matching:
 * fields from different elements never combine).
 */
function matchChild(node: CompiledNode, value: unknown): boolean {
  if (!Array.isArray(value)) return matchNode(node, value);
  if (!containsObject(value)) return matchNode(node, undefined);
  for (const element of value) {
    if (Array.isArray(element) ? matchChild(node, element) : isPlainObject(element) && matchNode(node, element)) {
      return true;
    }
  }
  return false;
}

/** Matches a compiled pattern against a parsed JSON value; anything but an object sees every field absent. */
export function matchNode(node: CompiledNode, value: unknown): boolean {
  const record = isPlainObject(value) ? value : undefined;
  for (const leaf of node.leaves) {
    if (!matchLeaf(leaf, record && own(record, leaf.key))) return false;
  }
  for (const child of node.children) {
    if (!matchChild(child.node, record && own(record, child.key))) return false;
  }
  return matchOrGroups(node, value, matchNode);
}

/** Every `$or` group of the node must have a branch that matches the same value (no closure: matching runs hot). */
export function matchOrGroups<T>(
  node: CompiledNode,
  value: T,
  match: (branch: CompiledNode, value: T) => boolean,
): boolean {
  for (const group of node.orGroups) {
    let any = false;
    for (const branch of group) {
      if (match(branch, value)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

/** Parses a pattern given as JSON text (CloudFormation accepts either) or passes an object through. */
export function patternObject(pattern: unknown, dialect: FilterDialect): Record<string, unknown> {
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      dialect.fail('', `is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isPlainObject(parsed)) dialect.fail('', `must be a JSON object, not ${JSON.stringify(parsed)}`);
  return parsed;
}
