import {
  InsightsAggregate,
  InsightsComparisonOperator,
  InsightsCondition,
  InsightsQuery,
  InsightsOperand,
} from './insights-query';
import { LogEvent } from './log-store';

/** A field value: JSON strings and numbers as logged; the time fields as instants (compared as milliseconds). */
export type FieldValue = string | number | Date;

/** One result row as GetQueryResults returns it: the row's fields that have a value, values as strings. */
export type ResultRow = Array<{ field: string; value: string }>;

export type QueryableLogEvent = LogEvent & { readonly logGroupName: string };

export interface EvaluateOptions {
  /** `@log` is `account-id:log-group-name`. @default '000000000000' */
  readonly accountId?: string;
}

export interface Evaluation {
  readonly rows: ResultRow[];
  /** Events that passed every filter before the first stats (all filters, when there is no stats). */
  readonly recordsMatched: number;
}

/** Without a `fields` or `display` command, AWS shows each event's time and message. */
const DEFAULT_DISPLAY = ['@timestamp', '@message'];

interface Row {
  get(field: string): FieldValue | undefined;
}

/** Evaluates a parsed query over events, as a completed Logs Insights query would. */
export function evaluateInsightsQuery(
  query: InsightsQuery,
  events: readonly QueryableLogEvent[],
  options: EvaluateOptions = {},
): ResultRow[] {
  return evaluateWithStatistics(query, events, options).rows;
}

export function evaluateWithStatistics(
  query: InsightsQuery,
  events: readonly QueryableLogEvent[],
  options: EvaluateOptions = {},
): Evaluation {
  const accountId = options.accountId ?? '000000000000';
  // Newest first: how the Logs Insights console lists events of a query that does not sort (not documented).
  let rows: Row[] = [...events]
    .sort((a, b) => b.timestamp - a.timestamp)
    .map((event) => new EventRow(event, accountId));
  let visible: string[] | undefined;
  let display: readonly string[] | undefined;
  let recordsMatched = rows.length;
  let aggregated = false;
  for (const command of query.commands) {
    switch (command.kind) {
      case 'fields': {
        visible = [...(visible ?? []), ...command.fields.map((f) => f.as).filter((f) => !visible?.includes(f))];
        const aliased = command.fields.filter((f) => f.as !== f.field);
        if (aliased.length > 0) rows = rows.map((row) => withFields(row, aliased));
        break;
      }
      case 'display':
        display = command.fields;
        break;
      case 'filter':
        rows = rows.filter((row) => holds(command.condition, row));
        if (!aggregated) recordsMatched = rows.length;
        break;
      case 'stats':
        aggregated = true;
        rows = aggregate(rows, command.aggregates, command.by);
        // After stats only its output exists: the group-by fields, then the aggregates.
        visible = [...command.by.map((f) => f.as), ...command.aggregates.map((a) => a.as)];
        display = undefined;
        break;
      case 'sort':
        rows = sortRows(rows, command.keys);
        break;
      case 'limit':
        rows = rows.slice(0, command.count);
        break;
    }
  }
  const shown = display ?? visible ?? DEFAULT_DISPLAY;
  return {
    rows: rows.map((row) =>
      shown.flatMap((field) => {
        const value = row.get(field);
        return value === undefined ? [] : [{ field, value: formatValue(value) }];
      }),
    ),
    recordsMatched,
  };
}

/** The discovered fields of each message, parsed once per stored event however many queries read it. */
const discovered = new WeakMap<LogEvent, Readonly<Record<string, FieldValue>>>();

class EventRow implements Row {
  constructor(
    private readonly event: QueryableLogEvent,
    private readonly accountId: string,
  ) {}

  get(field: string): FieldValue | undefined {
    switch (field) {
      case '@timestamp':
        return new Date(this.event.timestamp);
      case '@message':
        return this.event.message;
      case '@logStream':
        return this.event.logStreamName;
      case '@log':
        return `${this.accountId}:${this.event.logGroupName}`;
      case '@ingestionTime':
        return this.event.ingestionTime === undefined ? undefined : new Date(this.event.ingestionTime);
      default: {
        let fields = discovered.get(this.event);
        if (!fields) {
          fields = discoverFields(this.event.message);
          discovered.set(this.event, fields);
        }
        return Object.hasOwn(fields, field) ? fields[field] : undefined;
      }
    }
  }
}

class MapRow implements Row {
  constructor(private readonly values: ReadonlyMap<string, FieldValue>) {}

  get(field: string): FieldValue | undefined {
    return this.values.get(field);
  }
}

/** `fields a as b`: b reads a; every other field reads through to the row. */
function withFields(row: Row, aliased: readonly { field: string; as: string }[]): Row {
  const values = new Map<string, FieldValue>();
  for (const { field, as } of aliased) {
    const value = row.get(field);
    if (value !== undefined) values.set(as, value);
  }
  return { get: (field) => (values.has(field) ? values.get(field) : row.get(field)) };
}

/**
 * The fields Logs Insights discovers in a JSON message: nested keys joined with dots, array items by index
 * (`items.0.instanceId`), a logged key starting with @ shown with another @. A Lambda line that carries its
 * JSON after a text prefix has the first embedded JSON object parsed. Nulls, and non-JSON lines, give none.
 */
export function discoverFields(message: string): Readonly<Record<string, FieldValue>> {
  // A plain object, not Object.create(null): V8 keeps those in dictionary mode, ~3x the memory per event.
  const fields: Record<string, FieldValue> = {};
  const json = parseEmbeddedJson(message);
  if (json) flatten(json, '', fields);
  return fields;
}

function parseEmbeddedJson(message: string): Record<string, unknown> | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  for (const candidate of [message.slice(start), message.slice(start, message.lastIndexOf('}') + 1)]) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // not JSON from the first brace to the end: try up to the last brace
    }
  }
  return undefined;
}

function flatten(value: unknown, prefix: string, into: Record<string, FieldValue>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const name = prefix === '' ? (key.startsWith('@') ? `@${key}` : key) : `${prefix}.${key}`;
      flatten(child, name, into);
    }
  } else if (typeof value === 'number' || typeof value === 'string') {
    into[prefix] = value;
  } else {
    into[prefix] = String(value);
  }
}

function holds(condition: InsightsCondition, row: Row): boolean {
  switch (condition.kind) {
    case 'and':
      return holds(condition.left, row) && holds(condition.right, row);
    case 'or':
      return holds(condition.left, row) || holds(condition.right, row);
    case 'not':
      return !holds(condition.condition, row);
    case 'compare': {
      // A comparison with a missing field is false, whatever the operator (so `!=` does not match absence).
      const left = operandValue(condition.left, row);
      const right = operandValue(condition.right, row);
      return left !== undefined && right !== undefined && ORDER_TESTS[condition.operator](compareValues(left, right));
    }
    case 'in': {
      const value = operandValue(condition.operand, row);
      if (value === undefined) return false;
      return condition.values.some((literal) => compareValues(value, literal.value) === 0) !== condition.negated;
    }
    case 'match': {
      const value = operandValue(condition.operand, row);
      if (value === undefined) return false;
      const text = formatValue(value);
      const matches =
        typeof condition.pattern === 'string' ? text.includes(condition.pattern) : condition.pattern.test(text);
      return matches !== condition.negated;
    }
  }
}

const ORDER_TESTS: Record<InsightsComparisonOperator, (order: number) => boolean> = {
  '=': (order) => order === 0,
  '!=': (order) => order !== 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};

function operandValue(operand: InsightsOperand, row: Row): FieldValue | undefined {
  return operand.kind === 'field' ? row.get(operand.name) : operand.value;
}

/**
 * Numbers compare numerically when at least one side is a number (a JSON number, a number literal, a time)
 * and the other reads as one: the documented `accountId=123456789012` matches the string "123456789012".
 * Two strings compare as strings, so "007" is not "7".
 */
export function compareValues(a: FieldValue, b: FieldValue): number {
  if (typeof a !== 'string' || typeof b !== 'string') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x !== undefined && y !== undefined) return Math.sign(x - y);
  }
  return compareText(formatValue(a), formatValue(b));
}

/** By UTF-16 code units, as a plain string comparison (not locale collation). */
function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

const NUMERIC_TEXT = /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function asNumber(value: FieldValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  // Number() alone would also read '', ' ', '0x10' and 'Infinity'.
  return NUMERIC_TEXT.test(value) ? Number(value) : undefined;
}

/** Values as GetQueryResults writes them; times as `2019-08-08 15:30:44.000` (UTC). */
export function formatValue(value: FieldValue): string {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').slice(0, 23);
  return String(value);
}

function sortRows(rows: readonly Row[], keys: ReadonlyArray<{ field: string; descending: boolean }>): Row[] {
  // Array.prototype.sort is stable: ties keep their order. Rows without the field go last either way.
  return [...rows].sort((a, b) => {
    for (const { field, descending } of keys) {
      const x = a.get(field);
      const y = b.get(field);
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const order = compareValues(x, y);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  });
}

interface Accumulator {
  add(row: Row): void;
  result(): FieldValue | undefined;
}

function aggregate(
  rows: readonly Row[],
  aggregates: readonly InsightsAggregate[],
  by: readonly { field: string; as: string }[],
): Row[] {
  const groups = new Map<string, { keys: Array<FieldValue | undefined>; accumulators: Accumulator[] }>();
  for (const row of rows) {
    const keys = by.map(({ field }) => row.get(field));
    // Missing and present values never share a group; formatted values (a number and its text) do.
    const groupKey = JSON.stringify(keys.map((k) => (k === undefined ? null : formatValue(k))));
    let group = groups.get(groupKey);
    if (!group) {
      group = { keys, accumulators: aggregates.map(accumulator) };
      groups.set(groupKey, group);
    }
    for (const acc of group.accumulators) acc.add(row);
  }
  // Stats without `by` over no events still answers one row (count 0), as AWS does.
  if (groups.size === 0 && by.length === 0) groups.set('', { keys: [], accumulators: aggregates.map(accumulator) });
  return [...groups.values()].map(({ keys, accumulators }) => {
    const values = new Map<string, FieldValue>();
    by.forEach(({ as }, i) => {
      const key = keys[i];
      if (key !== undefined) values.set(as, key);
    });
    aggregates.forEach(({ as }, i) => {
      const result = accumulators[i].result();
      if (result !== undefined) values.set(as, result);
    });
    return new MapRow(values);
  });
}

function accumulator({ fn, field }: InsightsAggregate): Accumulator {
  const valueOf = (row: Row) => (field === undefined ? undefined : row.get(field));
  switch (fn) {
    case 'count': {
      let count = 0;
      return {
        add: (row) => {
          if (field === undefined || valueOf(row) !== undefined) count++;
        },
        result: () => count,
      };
    }
    case 'count_distinct': {
      const seen = new Set<string>();
      return {
        add: (row) => {
          const value = valueOf(row);
          if (value !== undefined) seen.add(formatValue(value));
        },
        result: () => seen.size,
      };
    }
    case 'min':
    case 'max':
      return extremum(valueOf, fn === 'max' ? 1 : -1);
    case 'sum':
    case 'avg': {
      let sum = 0;
      let count = 0;
      return {
        add: (row) => {
          const value = valueOf(row);
          const number = value === undefined ? undefined : asNumber(value);
          if (number !== undefined) {
            sum += number;
            count++;
          }
        },
        result: () => (count === 0 ? undefined : fn === 'sum' ? sum : sum / count),
      };
    }
  }
}

/** min/max: numeric when every value reads as a number (so version 10 beats 9), otherwise as text. */
function extremum(valueOf: (row: Row) => FieldValue | undefined, sign: 1 | -1): Accumulator {
  let numeric: { value: FieldValue; number: number } | undefined;
  let textual: FieldValue | undefined;
  let allNumeric = true;
  return {
    add: (row) => {
      const value = valueOf(row);
      if (value === undefined) return;
      const number = asNumber(value);
      if (number === undefined) allNumeric = false;
      else if (!numeric || Math.sign(number - numeric.number) === sign) numeric = { value, number };
      if (textual === undefined || compareText(formatValue(value), formatValue(textual)) === sign) {
        textual = value;
      }
    },
    result: () => (allNumeric ? numeric?.value : textual),
  };
}
