import {
  CompiledLeaf,
  CompiledNode,
  FilterDialect,
  ValueTest,
  anyLeafPasses,
  compileNode,
  isPlainObject,
  matchNode,
  matchOrGroups,
  patternObject,
} from '../events/content-filter';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface SnsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

export interface SnsMessageToFilter {
  readonly attributes: Readonly<Record<string, SnsMessageAttribute>>;
  readonly body: string;
}

/** A filter policy SNS would refuse (Subscribe / SetSubscriptionAttributes answer InvalidParameter). */
export class FilterPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPolicyError';
  }
}

export interface CompiledFilterPolicy {
  matches(message: SnsMessageToFilter): boolean;
}

/** "Filter policy constraints" (SNS developer guide). */
const FILTER_POLICY_LIMITS = {
  maxKeys: 5,
  maxCombinations: 150,
  maxBytes: 256 * 1024,
  numberLimit: 1e9,
  numberDecimals: 5,
} as const;

function dialect(where: string): FilterDialect {
  return {
    fail: (path, message) => {
      throw new FilterPolicyError(`${where}: ${path ? `"${path}"` : 'the filter policy'} ${message}`);
    },
    operators: new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr']),
    anythingButOperators: new Set(['prefix', 'suffix']),
    caseInsensitiveAffixes: false,
    anythingButLists: false,
    numberLimit: FILTER_POLICY_LIMITS.numberLimit,
    numberDecimals: FILTER_POLICY_LIMITS.numberDecimals,
    describeNumberLimit: 'SNS numeric matching (-1,000,000,000 to 1,000,000,000, at most 5 decimals)',
  };
}

/** Keys of one expanded policy; for a nested (MessageBody) policy "only parent keys are counted". */
function keyCount(node: CompiledNode): number {
  let keys = node.leaves.length + node.children.length;
  for (const group of node.orGroups) keys += Math.max(...group.map(keyCount));
  return keys;
}

/**
 * The documented complexity: multiply the number of values of every array, each times its nesting depth
 * ("3 x 4 x 2 x 3 = 72"); the branches of a `$or` add up.
 */
function combinations(node: CompiledNode, depth: number): number {
  let total = 1;
  for (const leaf of node.leaves) total *= leaf.valueCount * depth;
  for (const child of node.children) total *= combinations(child.node, depth + 1);
  for (const group of node.orGroups) total *= group.reduce((sum, branch) => sum + combinations(branch, depth), 0);
  return total;
}

function validate(policy: unknown, root: CompiledNode, rules: FilterDialect): void {
  const bytes = Buffer.byteLength(typeof policy === 'string' ? policy : JSON.stringify(policy), 'utf8');
  if (bytes > FILTER_POLICY_LIMITS.maxBytes) {
    rules.fail('', `is ${bytes} bytes; a filter policy is at most ${FILTER_POLICY_LIMITS.maxBytes} bytes (256 KB)`);
  }
  const keys = keyCount(root);
  if (keys > FILTER_POLICY_LIMITS.maxKeys) {
    rules.fail(
      '',
      `has ${keys} keys; a filter policy can have at most ${FILTER_POLICY_LIMITS.maxKeys}: split it across subscriptions`,
    );
  }
  const total = combinations(root, 1);
  if (total > FILTER_POLICY_LIMITS.maxCombinations) {
    rules.fail(
      '',
      `has ${total} value combinations; SNS allows at most ${FILTER_POLICY_LIMITS.maxCombinations}: list fewer values or use prefix matching`,
    );
  }
}

// A topic offers one message to every subscription: its String.Array values are parsed once, not once per policy.
const parsedArrays = new WeakMap<SnsMessageAttribute, unknown[]>();

function arrayValues(attribute: SnsMessageAttribute): unknown[] {
  let values = parsedArrays.get(attribute);
  if (!values) {
    try {
      const parsed: unknown = JSON.parse(attribute.StringValue ?? '');
      values = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      values = [];
    }
    parsedArrays.set(attribute, values);
  }
  return values;
}

/** The attribute as the filter sees it: a string, a number, or the elements of a String.Array. */
function attributeValue(attribute: SnsMessageAttribute): unknown {
  const type = attribute.DataType;
  if (type === 'String.Array') return arrayValues(attribute);
  if (type === 'Number' || type.startsWith('Number.')) return Number(attribute.StringValue);
  return attribute.StringValue ?? '';
}

function everyElementPasses(values: readonly unknown[], test: ValueTest): boolean {
  if (values.length === 0) return false;
  for (const value of values) if (!anyLeafPasses(value, test)) return false;
  return true;
}

function matchAttribute(leaf: CompiledLeaf, attribute: SnsMessageAttribute | undefined): boolean {
  // "Amazon SNS ignores message attributes with the Binary data type": such an attribute counts as absent.
  if (!attribute || attribute.DataType === 'Binary' || attribute.DataType.startsWith('Binary.')) {
    return leaf.existsFalse;
  }
  if (leaf.existsTrue) return true;
  const value = attributeValue(attribute);
  for (const test of leaf.tests) if (anyLeafPasses(value, test)) return true;
  for (const test of leaf.negatedTests) {
    // "For String.Array type attributes, it [anything-but] matches if none of the array elements are listed."
    if (Array.isArray(value) ? everyElementPasses(value, test) : test(value)) return true;
  }
  return false;
}

function matchAttributes(node: CompiledNode, attributes: Readonly<Record<string, SnsMessageAttribute>>): boolean {
  for (const leaf of node.leaves) {
    const attribute = Object.prototype.hasOwnProperty.call(attributes, leaf.key) ? attributes[leaf.key] : undefined;
    if (!matchAttribute(leaf, attribute)) return false;
  }
  return matchOrGroups(node, attributes, matchAttributes);
}

// Likewise the body is parsed once for all the subscriptions it is offered to.
const NOT_JSON = Symbol('not JSON');
let lastBody: string | undefined;
let lastParsed: unknown;

function parsedBody(body: string): unknown {
  if (body !== lastBody) {
    try {
      lastParsed = JSON.parse(body);
    } catch {
      lastParsed = NOT_JSON;
    }
    lastBody = body;
  }
  return lastParsed;
}

/** Validates against AWS's constraints (throws FilterPolicyError mentioning `where`), then compiles. */
export function compileFilterPolicy(
  policy: unknown,
  scope: FilterPolicyScope = 'MessageAttributes',
  where = 'SNS subscription',
): CompiledFilterPolicy {
  const rules = dialect(where);
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    rules.fail('', `has FilterPolicyScope ${JSON.stringify(scope)}; use MessageAttributes or MessageBody`);
  }
  const root = compileNode(patternObject(policy, rules), rules, '', scope === 'MessageBody');
  validate(policy, root, rules);
  // An empty policy is how a filter is removed: the subscriber receives every message.
  if (root.leaves.length === 0 && root.children.length === 0 && root.orGroups.length === 0) {
    return { matches: () => true };
  }
  if (scope === 'MessageAttributes') return { matches: (message) => matchAttributes(root, message.attributes) };
  // "Filter policies for the message body assume that the message payload is a well-formed JSON object."
  return {
    matches: (message) => {
      const body = parsedBody(message.body);
      return isPlainObject(body) && matchNode(root, body);
    },
  };
}
