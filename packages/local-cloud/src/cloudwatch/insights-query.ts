import { malformedQuery } from './errors';

/** A field reference or a literal: what a comparison compares. */
export type InsightsOperand =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number };

export type InsightsLiteral = Extract<InsightsOperand, { kind: 'string' | 'number' }>;

export type InsightsComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type InsightsCondition =
  | { readonly kind: 'and' | 'or'; readonly left: InsightsCondition; readonly right: InsightsCondition }
  | { readonly kind: 'not'; readonly condition: InsightsCondition }
  | {
      readonly kind: 'compare';
      readonly operator: InsightsComparisonOperator;
      readonly left: InsightsOperand;
      readonly right: InsightsOperand;
    }
  | {
      readonly kind: 'in';
      readonly operand: InsightsOperand;
      readonly values: readonly InsightsLiteral[];
      readonly negated: boolean;
    }
  | {
      readonly kind: 'match';
      readonly operand: InsightsOperand;
      /** A `/regex/` becomes a RegExp; a quoted string matches as a substring. */
      readonly pattern: RegExp | string;
      readonly negated: boolean;
    };

export type InsightsAggregateFunction = 'count' | 'count_distinct' | 'min' | 'max' | 'sum' | 'avg';

export interface InsightsAggregate {
  readonly fn: InsightsAggregateFunction;
  /** Undefined for `count(*)`. */
  readonly field?: string;
  /** The output field: the alias, or the expression as written (`max(storedVersion)`). */
  readonly as: string;
}

/** A field and the name it takes in the output (its alias, or itself). */
export interface InsightsNamedField {
  readonly field: string;
  readonly as: string;
}

export type InsightsCommand =
  | { readonly kind: 'fields'; readonly fields: readonly InsightsNamedField[] }
  | { readonly kind: 'display'; readonly fields: readonly string[] }
  | { readonly kind: 'filter'; readonly condition: InsightsCondition }
  | {
      readonly kind: 'stats';
      readonly aggregates: readonly InsightsAggregate[];
      readonly by: readonly InsightsNamedField[];
    }
  | { readonly kind: 'sort'; readonly keys: ReadonlyArray<{ readonly field: string; readonly descending: boolean }> }
  | { readonly kind: 'limit'; readonly count: number };

/** A parsed Logs Insights QL query: its commands, applied in the order written. */
export interface InsightsQuery {
  readonly queryString: string;
  readonly commands: readonly InsightsCommand[];
}

const SUPPORTED = new Set(['fields', 'filter', 'stats', 'sort', 'limit', 'display']);
const SUPPORTED_COMMANDS = [...SUPPORTED].join(', ');
const SUPPORTED_AGGREGATES = 'count(*), count(field), count_distinct, min, max, sum and avg';
/** Logs Insights QL commands this evaluator knows of but does not implement: refused by name. */
const UNSUPPORTED_COMMANDS = new Set([
  'parse',
  'dedup',
  'pattern',
  'unmask',
  'diff',
  'anomaly',
  'filterindex',
  'fieldssummary',
  'lookup',
  'unnest',
  'addtotals',
  'head',
  'tail',
]);

type Token =
  | { readonly type: 'word'; readonly text: string; readonly quoted: boolean; readonly at: number }
  | { readonly type: 'string'; readonly text: string; readonly at: number }
  | { readonly type: 'number'; readonly value: number; readonly text: string; readonly at: number }
  | { readonly type: 'regex'; readonly source: string; readonly at: number }
  | { readonly type: 'symbol'; readonly text: string; readonly at: number };

/**
 * Parses the Logs Insights QL subset the local cloud evaluates. Anything outside it throws
 * MalformedQueryException naming the unsupported part, so a query is never silently half-evaluated.
 */
export function parseInsightsQuery(queryString: string): InsightsQuery {
  const commands: InsightsCommand[] = [];
  let current: Token[] = [];
  const { tokens, error } = tokenize(queryString);
  for (const token of [...tokens, undefined]) {
    if (token === undefined && error) {
      // Syntax this lexer cannot read inside a command it does not support: name the command, not the character.
      const first = current[0];
      if (first?.type === 'word' && !first.quoted && !SUPPORTED.has(first.text.toLowerCase())) {
        new CommandParser(current).parse();
      }
      throw error;
    }
    if (token === undefined || (token.type === 'symbol' && token.text === '|')) {
      if (current.length === 0) {
        throw malformedQuery(
          `empty command ${token ? `before '|' at position ${token.at}` : 'at the end of the query'}: ` +
            'write a command between each pair of pipes',
        );
      }
      commands.push(new CommandParser(current).parse());
      current = [];
    } else {
      current.push(token);
    }
  }
  return { queryString, commands };
}

/** The tokens up to the first one that cannot be read, and why it cannot. */
function tokenize(query: string): { tokens: Token[]; error?: Error } {
  const tokens: Token[] = [];
  try {
    readTokens(query, tokens);
    return { tokens };
  } catch (error) {
    return { tokens, error: error as Error };
  }
}

function readTokens(query: string, tokens: Token[]): void {
  let i = 0;
  const fail = (what: string, at: number) => malformedQuery(`${what} at position ${at} of the query`);
  while (i < query.length) {
    const c = query[i];
    const at = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let text = '';
      i++;
      while (i < query.length && query[i] !== c) {
        if (query[i] === '\\' && i + 1 < query.length) i++;
        text += query[i++];
      }
      if (i >= query.length) throw fail(`unterminated string starting with ${c}`, at);
      i++;
      tokens.push({ type: 'string', text, at });
    } else if (c === '`') {
      const end = query.indexOf('`', i + 1);
      if (end < 0) throw fail('unterminated `field name`', at);
      tokens.push({ type: 'word', text: query.slice(i + 1, end), quoted: true, at });
      i = end + 1;
    } else if (c === '/' && isPatternPosition(tokens[tokens.length - 1])) {
      let source = '';
      i++;
      while (i < query.length && query[i] !== '/') {
        // `\/` is a slash inside the pattern; every other escape belongs to the regular expression.
        if (query[i] === '\\' && query[i + 1] === '/') i++;
        else if (query[i] === '\\' && i + 1 < query.length) source += query[i++];
        source += query[i++];
      }
      if (i >= query.length) throw fail('unterminated /regular expression/', at);
      i++;
      tokens.push({ type: 'regex', source, at });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(query[i + 1] ?? '') && !endsOperand(tokens))) {
      const match = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(query.slice(i))!;
      tokens.push({ type: 'number', value: Number(match[0]), text: match[0], at });
      i += match[0].length;
    } else if (/[A-Za-z_@]/.test(c)) {
      const match = /^[A-Za-z0-9_@.]+/.exec(query.slice(i))!;
      tokens.push({ type: 'word', text: match[0], quoted: false, at });
      i += match[0].length;
    } else {
      const two = query.slice(i, i + 2);
      const text = ['!=', '<=', '>=', '=~', '=='].includes(two) ? two : c;
      if (text === '==') throw fail("unexpected '==' (Logs Insights tests equality with a single =)", at);
      if (!SYMBOLS.has(text)) throw fail(`unexpected '${text}'`, at);
      tokens.push({ type: 'symbol', text, at });
      i += text.length;
    }
  }
}

const SYMBOLS = new Set('| ( ) [ ] , * = != < <= > >= =~ + - / % ^'.split(' '));

/** A `/` after `like` or `=~` opens a regular expression; anywhere else it would be division. */
function isPatternPosition(previous: Token | undefined): boolean {
  if (!previous) return false;
  if (previous.type === 'symbol') return previous.text === '=~';
  return previous.type === 'word' && !previous.quoted && previous.text.toLowerCase() === 'like';
}

/** After a value, `-1` is subtraction (unsupported), not a negative literal. */
function endsOperand(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return false;
  if (last.type === 'symbol') return last.text === ')' || last.text === ']';
  return last.type !== 'word' || last.quoted || !isKeyword(last.text);
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc']);
function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toLowerCase());
}

class CommandParser {
  private position = 1;
  /** The command as written, and lower-cased (commands and keywords are case-insensitive). */
  private readonly written: string;
  private readonly name: string;
  /** How the last field was written, for default names such as `count(\`foo-bar\`)`. */
  private lastWrittenField = '';

  constructor(private readonly tokens: readonly Token[]) {
    const first = tokens[0];
    if (first.type !== 'word' || first.quoted) {
      throw malformedQuery(`expected a command at position ${first.at}, found ${describe(first)}`);
    }
    this.written = first.text;
    this.name = first.text.toLowerCase();
  }

  parse(): InsightsCommand {
    const command = this.parseBody();
    const rest = this.peek();
    if (rest) {
      throw malformedQuery(
        `unexpected ${describe(rest)} at position ${rest.at} in '${this.name}': ${this.unsupportedHint(rest)}`,
      );
    }
    return command;
  }

  private parseBody(): InsightsCommand {
    switch (this.name) {
      case 'fields':
        return { kind: 'fields', fields: this.list(() => this.namedField()) };
      case 'display':
        return { kind: 'display', fields: this.list(() => this.fieldName()) };
      case 'filter':
        return { kind: 'filter', condition: this.orCondition() };
      case 'stats':
        return this.stats();
      case 'sort':
        return this.sort();
      case 'limit':
        return this.limit();
      case 'source':
        throw malformedQuery(
          'SOURCE is not supported by the local Logs Insights evaluator: pass the log groups to StartQuery ' +
            '(logGroupNames, at most 50) instead',
        );
      default:
        throw malformedQuery(
          UNSUPPORTED_COMMANDS.has(this.name)
            ? `the '${this.name}' command is not supported by the local Logs Insights evaluator ` +
                `(it supports ${SUPPORTED_COMMANDS}): rewrite the query without it`
            : `unknown command '${this.written}': ` + `Logs Insights commands here are ${SUPPORTED_COMMANDS}`,
        );
    }
  }

  private stats(): InsightsCommand {
    const aggregates = this.list(() => this.aggregate());
    const by = this.acceptKeyword('by') ? this.list(() => this.namedField()) : [];
    return { kind: 'stats', aggregates, by };
  }

  private aggregate(): InsightsAggregate {
    const fnToken = this.next('an aggregate function');
    if (fnToken.type !== 'word' || fnToken.quoted || !this.peekSymbol('(')) {
      throw malformedQuery(
        `stats expects an aggregate function such as count(*) at position ${fnToken.at}, found ${describe(fnToken)}`,
      );
    }
    const fn = fnToken.text.toLowerCase();
    if (!isAggregate(fn)) {
      throw malformedQuery(
        `the aggregate function '${fnToken.text}' is not supported by the local Logs Insights evaluator ` +
          `(it supports ${SUPPORTED_AGGREGATES})`,
      );
    }
    this.expectSymbol('(');
    let field: string | undefined;
    let written: string;
    if (fn === 'count' && (this.acceptSymbol('*') || this.peekSymbol(')'))) {
      written = '*';
    } else {
      field = this.fieldName();
      written = this.lastWrittenField;
    }
    this.expectSymbol(')');
    const as = this.acceptKeyword('as') ? this.fieldName() : `${fn}(${written})`;
    return { fn, field, as };
  }

  private sort(): InsightsCommand {
    const keys: Array<{ field: string; descending: boolean }> = [];
    do {
      // `sort desc` sorts by @timestamp, as AWS does.
      const direction = this.direction();
      const field = direction === undefined ? this.fieldName() : '@timestamp';
      keys.push({ field, descending: (direction ?? this.direction()) === 'desc' });
    } while (this.acceptSymbol(','));
    return { kind: 'sort', keys };
  }

  private direction(): 'asc' | 'desc' | undefined {
    if (this.acceptKeyword('asc')) return 'asc';
    if (this.acceptKeyword('desc')) return 'desc';
    return undefined;
  }

  private limit(): InsightsCommand {
    const token = this.next('a number of rows');
    if (token.type === 'word' && token.text.toLowerCase() === 'any') {
      throw malformedQuery("'limit any' is not supported by the local Logs Insights evaluator: use 'limit N'");
    }
    if (token.type !== 'number' || !Number.isInteger(token.value) || token.value < 1) {
      throw malformedQuery(`limit expects a positive whole number at position ${token.at}, found ${describe(token)}`);
    }
    return { kind: 'limit', count: token.value };
  }

  private orCondition(): InsightsCondition {
    let left = this.andCondition();
    while (this.acceptKeyword('or')) left = { kind: 'or', left, right: this.andCondition() };
    return left;
  }

  private andCondition(): InsightsCondition {
    let left = this.unaryCondition();
    while (this.acceptKeyword('and')) left = { kind: 'and', left, right: this.unaryCondition() };
    return left;
  }

  private unaryCondition(): InsightsCondition {
    if (this.acceptKeyword('not')) return { kind: 'not', condition: this.unaryCondition() };
    if (this.acceptSymbol('(')) {
      const inner = this.orCondition();
      this.expectSymbol(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): InsightsCondition {
    const operand = this.operand();
    const negated = this.acceptKeyword('not');
    if (this.acceptKeyword('in')) {
      this.expectSymbol('[');
      const values = this.peekSymbol(']') ? [] : this.list(() => this.literal());
      this.expectSymbol(']');
      return { kind: 'in', operand, values, negated };
    }
    if (this.acceptKeyword('like') || (!negated && this.acceptSymbol('=~'))) {
      return { kind: 'match', operand, pattern: this.pattern(), negated };
    }
    if (negated) {
      const token = this.peek();
      throw malformedQuery(
        `'not' after a value must be followed by 'in' or 'like'${token ? ` (position ${token.at})` : ''}`,
      );
    }
    const operatorToken = this.next('a comparison (=, !=, <, <=, >, >=, in, like or =~)');
    if (operatorToken.type !== 'symbol' || !isComparison(operatorToken.text)) {
      throw malformedQuery(
        `expected a comparison (=, !=, <, <=, >, >=, in, like or =~) at position ${operatorToken.at}, found ` +
          `${describe(operatorToken)}: ${this.unsupportedHint(operatorToken)}`,
      );
    }
    return { kind: 'compare', operator: operatorToken.text, left: operand, right: this.operand() };
  }

  private pattern(): RegExp | string {
    const token = this.next('a /regular expression/ or a "substring"');
    if (token.type === 'string') return token.text;
    if (token.type !== 'regex') {
      throw malformedQuery(
        `like and =~ expect /regex/ or "substring" at position ${token.at}, found ${describe(token)}`,
      );
    }
    return insightsRegex(token.source, token.at);
  }

  private operand(): InsightsOperand {
    const token = this.peek();
    if (token?.type === 'string') {
      this.position++;
      return { kind: 'string', value: token.text };
    }
    if (token?.type === 'number') {
      this.position++;
      return { kind: 'number', value: token.value };
    }
    return { kind: 'field', name: this.fieldName() };
  }

  private literal(): InsightsLiteral {
    const token = this.next('a string or number');
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type === 'number') return { kind: 'number', value: token.value };
    throw malformedQuery(
      `'in' lists take string and number literals; found ${describe(token)} at position ${token.at}`,
    );
  }

  private namedField(): InsightsNamedField {
    const field = this.fieldName();
    return { field, as: this.acceptKeyword('as') ? this.fieldName() : field };
  }

  private fieldName(): string {
    const token = this.next('a field name');
    if (token.type !== 'word' || (!token.quoted && isKeyword(token.text))) {
      throw malformedQuery(`expected a field name at position ${token.at}, found ${describe(token)}`);
    }
    if (!token.quoted && this.peekSymbol('(')) {
      throw malformedQuery(
        `the function '${token.text}()' is not supported by the local Logs Insights evaluator: ` +
          'fields, display, filter, sort and stats ... by take plain field names here',
      );
    }
    this.lastWrittenField = token.quoted ? `\`${token.text}\`` : token.text;
    return token.text;
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptSymbol(',')) items.push(item());
    return items;
  }

  private unsupportedHint(token: Token): string {
    if (token.type === 'symbol' && '+-*/%^'.includes(token.text)) {
      return 'arithmetic is not supported by the local Logs Insights evaluator';
    }
    if (token.type === 'symbol' && token.text === '(') {
      return 'functions are not supported by the local Logs Insights evaluator';
    }
    return `check the '${this.name}' syntax (supported: ${SUPPORTED_COMMANDS})`;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position++];
    if (!token) throw malformedQuery(`'${this.name}' ends where ${expected} was expected`);
    return token;
  }

  private peekSymbol(text: string): boolean {
    const token = this.peek();
    return token?.type === 'symbol' && token.text === text;
  }

  private acceptSymbol(text: string): boolean {
    if (!this.peekSymbol(text)) return false;
    this.position++;
    return true;
  }

  private expectSymbol(text: string): void {
    const token = this.next(`'${text}'`);
    if (token.type !== 'symbol' || token.text !== text) {
      throw malformedQuery(`expected '${text}' at position ${token.at}, found ${describe(token)}`);
    }
  }

  private acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token?.type !== 'word' || token.quoted || token.text.toLowerCase() !== word) return false;
    this.position++;
    return true;
  }
}

/**
 * Logs Insights runs Hyperscan (PCRE syntax); JavaScript lacks inline flags such as `(?i)`, so they become
 * flags of the whole expression: exact for the documented `/(?i)Exception/` and `/^(?i)Exception$/`.
 */
function insightsRegex(source: string, at: number): RegExp {
  let flags = '';
  const jsSource = source.replace(/\(\?([ims]+)\)/g, (_, inline: string) => {
    for (const flag of inline) if (!flags.includes(flag)) flags += flag;
    return '';
  });
  try {
    return new RegExp(jsSource, flags);
  } catch (error) {
    throw malformedQuery(`invalid regular expression /${source}/ at position ${at}: ${(error as Error).message}`);
  }
}

function isAggregate(fn: string): fn is InsightsAggregateFunction {
  return ['count', 'count_distinct', 'min', 'max', 'sum', 'avg'].includes(fn);
}

function isComparison(text: string): text is InsightsComparisonOperator {
  return ['=', '!=', '<', '<=', '>', '>='].includes(text);
}

function describe(token: Token): string {
  switch (token.type) {
    case 'string':
      return `the string "${token.text}"`;
    case 'number':
      return `the number ${token.text}`;
    case 'regex':
      return `the regular expression /${token.source}/`;
    case 'word':
      return token.quoted ? `the field \`${token.text}\`` : `'${token.text}'`;
    case 'symbol':
      return `'${token.text}'`;
  }
}
