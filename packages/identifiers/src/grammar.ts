/** One identifier grammar: the pattern every layer checks, and the words its errors use. */
export interface IdentifierGrammar {
  /** What the identifier is called in messages, e.g. `stage name`. */
  readonly kind: string;
  readonly pattern: RegExp;
  /** What a valid one looks like and why, appended to every error. */
  readonly hint: string;
  readonly minLength: number;
  readonly maxLength: number;
}

/** Base class of every identifier error, so a caller can tell a bad identifier from its own failures. */
export class InvalidIdentifierError extends Error {
  readonly kind: string;
  readonly pattern: RegExp;
  /** What is wrong with the value, e.g. `is 25 characters, at most 20`. */
  readonly problem: string;

  constructor(
    grammar: IdentifierGrammar,
    readonly value: unknown,
  ) {
    const problem = identifierProblem(grammar, value) ?? 'is valid';
    super(
      `${grammar.kind} ${JSON.stringify(value) ?? String(value)} must match ${grammar.pattern.source}: it ${problem} (${grammar.hint})`,
    );
    this.name = new.target.name;
    this.kind = grammar.kind;
    this.pattern = grammar.pattern;
    this.problem = problem;
  }
}

/**
 * Why `value` is not an identifier of this grammar, in words (`undefined` when it is one). The length and
 * the first character are checked first, so the message names the actual mistake rather than only the pattern.
 */
export function identifierProblem(grammar: IdentifierGrammar, value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is missing';
  if (typeof value !== 'string') return `is a ${typeof value}, not a string`;
  if (grammar.pattern.test(value)) return undefined;
  if (value.length < grammar.minLength) return `is ${value.length} characters, at least ${grammar.minLength}`;
  if (value.length > grammar.maxLength) return `is ${value.length} characters, at most ${grammar.maxLength}`;
  const foreign = [...new Set(value.replace(/[a-z0-9-]/g, ''))];
  if (foreign.length > 0) return `contains ${foreign.map((c) => JSON.stringify(c)).join(', ')}`;
  if (!/^[a-z]/.test(value)) return 'does not start with a lowercase letter';
  return 'does not have the required shape';
}
