import { CompiledNode, FilterDialect, compileNode, matchNode, patternObject } from './content-filter';

/** An event pattern EventBridge would refuse (PutRule answers InvalidEventPatternException). */
export class EventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPatternError';
  }
}

export interface CompiledEventPattern {
  matches(event: unknown): boolean;
}

/** "APIs that accept an event pattern will throw InvalidEventPatternException if $or results in over 1000 rule combinations." */
const MAX_OR_COMBINATIONS = 1000;

function dialect(where: string): FilterDialect {
  return {
    fail: (path, message) => {
      throw new EventPatternError(`${where}: ${path ? `"${path}"` : 'the event pattern'} ${message}`);
    },
    operators: new Set([
      'prefix',
      'suffix',
      'equals-ignore-case',
      'wildcard',
      'anything-but',
      'numeric',
      'exists',
      'cidr',
    ]),
    anythingButOperators: new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']),
    caseInsensitiveAffixes: true,
    anythingButLists: true,
    // "Numeric matching ... is limited to values between -5.0e9 and +5.0e9 inclusive."
    numberLimit: 5e9,
    describeNumberLimit: 'the range EventBridge numeric matching supports (-5.0e9 to +5.0e9)',
  };
}

/** Rules an `$or` expands into: branches of one `$or` add up, separate `$or`s multiply. */
function orCombinations(node: CompiledNode): number {
  let combinations = 1;
  for (const child of node.children) combinations *= orCombinations(child.node);
  for (const group of node.orGroups) combinations *= group.reduce((sum, branch) => sum + orCombinations(branch), 0);
  return combinations;
}

/**
 * Compiles an EventBridge event pattern (a JSON object, or its text, whose leaves are arrays of match values)
 * as documented in "Amazon EventBridge event patterns" and "Content filtering in event patterns".
 *
 * One approximation: EventBridge compares exact numbers by their JSON text (300 ≠ 300.0), but `matches` receives a
 * parsed event, so exact numbers compare by value.
 */
export function compileEventPattern(pattern: unknown, where = 'EventBridge rule'): CompiledEventPattern {
  const rules = dialect(where);
  const root = compileNode(patternObject(pattern, rules), rules, '', true);
  const combinations = orCombinations(root);
  if (combinations > MAX_OR_COMBINATIONS) {
    rules.fail(
      '',
      `expands into ${combinations} rule combinations through $or; EventBridge allows ${MAX_OR_COMBINATIONS}: split it into several rules`,
    );
  }
  return { matches: (event) => matchNode(root, event) };
}
