import { randomUUID } from 'node:crypto';
import { InsightsQueryError } from './errors';
import { ResultRow, evaluateWithStatistics } from './insights-evaluator';
import { InsightsQuery, parseInsightsQuery } from './insights-query';
import { LogStore } from './log-store';

/** AWS quotas and API bounds (StartQuery reference, CloudWatch Logs quotas). */
export const INSIGHTS_LIMITS = {
  /** Concurrent Logs Insights queries per account and region. */
  concurrentQueries: 30,
  logGroupsPerQuery: 50,
  maxResultRows: 10_000,
  maxQueryStringLength: 10_000,
} as const;

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';

export interface QueryStatistics {
  readonly recordsMatched: number;
  readonly recordsScanned: number;
  readonly bytesScanned: number;
}

export interface StartQueryRequest {
  readonly logGroupNames?: string[];
  readonly logGroupName?: string;
  readonly queryString: string;
  /** Epoch seconds, inclusive. */
  readonly startTime: number;
  /** Epoch seconds, inclusive: events up to the last millisecond of this second are in range. */
  readonly endTime: number;
  /** @default 10000 */
  readonly limit?: number;
}

export interface QueryResults {
  readonly status: QueryStatus;
  readonly results: ResultRow[];
  readonly statistics: QueryStatistics;
}

export interface QueryInfo {
  readonly queryId: string;
  readonly queryString: string;
  readonly status: QueryStatus;
  /** Epoch milliseconds, from the service's clock. */
  readonly createTime: number;
  readonly logGroupName: string;
}

export interface InsightsServiceOptions {
  readonly store: LogStore;
  /** @default 30 (the AWS quota per account and region) */
  readonly maxConcurrentQueries?: number;
  /** How long a query stays Scheduled/Running before it completes. @default 25 */
  readonly executionDelayMs?: number;
  /** Stamps each query's createTime. @default Date.now */
  readonly now?: () => number;
  /** For `@log` (`account-id:log-group-name`). @default '000000000000' */
  readonly accountId?: string;
}

interface QueryRecord {
  readonly queryId: string;
  readonly query: InsightsQuery;
  readonly logGroupNames: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly limit: number;
  readonly createTime: number;
  status: QueryStatus;
  results: ResultRow[];
  statistics: QueryStatistics;
  timers: NodeJS.Timeout[];
}

const NO_STATISTICS: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

/**
 * CloudWatch Logs Insights for one region: StartQuery / GetQueryResults / StopQuery with AWS's concurrency
 * quota. A query is Scheduled, then Running, and is evaluated when it completes (over the events ingested by
 * then, as AWS does), so a verification that queries too early sees what it would see in AWS.
 */
export class InsightsService {
  private readonly queries = new Map<string, QueryRecord>();
  private readonly store: LogStore;
  private readonly maxConcurrentQueries: number;
  private readonly executionDelayMs: number;
  private readonly now: () => number;
  private readonly accountId: string;
  private active = 0;
  private maxActive = 0;

  constructor(options: InsightsServiceOptions) {
    this.store = options.store;
    this.maxConcurrentQueries = options.maxConcurrentQueries ?? INSIGHTS_LIMITS.concurrentQueries;
    this.executionDelayMs = options.executionDelayMs ?? 25;
    this.now = options.now ?? Date.now;
    this.accountId = options.accountId ?? '000000000000';
  }

  /** The most queries that were Scheduled or Running at once since this service started. */
  get maxConcurrentQueriesObserved(): number {
    return this.maxActive;
  }

  startQuery(input: StartQueryRequest): { queryId: string } {
    const logGroupNames = this.logGroups(input);
    const { startTime, endTime } = input;
    for (const [name, value] of Object.entries({ startTime, endTime })) {
      if (!Number.isInteger(value) || value < 0) {
        throw invalidParameter(`${name} must be whole epoch seconds (>= 0), got ${String(value)}`);
      }
    }
    if (startTime > endTime) {
      throw invalidParameter(`startTime (${startTime}) is after endTime (${endTime}): swap them or widen the range`);
    }
    const limit = input.limit ?? INSIGHTS_LIMITS.maxResultRows;
    if (!Number.isInteger(limit) || limit < 1 || limit > INSIGHTS_LIMITS.maxResultRows) {
      throw invalidParameter(`limit must be a whole number from 1 to ${INSIGHTS_LIMITS.maxResultRows}, got ${limit}`);
    }
    if (input.queryString.length > INSIGHTS_LIMITS.maxQueryStringLength) {
      throw invalidParameter(
        `queryString is ${input.queryString.length} characters, over the ${INSIGHTS_LIMITS.maxQueryStringLength} ` +
          'allowed: query fewer flags per query',
      );
    }
    const query = parseInsightsQuery(input.queryString);
    const missing = logGroupNames.filter((name) => !this.store.hasGroup(name));
    if (missing.length > 0) {
      throw new InsightsQueryError(
        'ResourceNotFoundException',
        `log group${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} ` +
          `do${missing.length > 1 ? '' : 'es'} not exist in account ${this.accountId}: deploy the stage's log groups first`,
      );
    }
    if (this.active >= this.maxConcurrentQueries) {
      throw new InsightsQueryError(
        'LimitExceededException',
        `Account maximum query concurrency limit of [${this.maxConcurrentQueries}] reached: retry when a ` +
          'running query completes (back off), or run fewer verifications at once',
      );
    }

    const record: QueryRecord = {
      queryId: randomUUID(),
      query,
      logGroupNames,
      startMs: startTime * 1000,
      endMs: endTime * 1000 + 999,
      limit,
      createTime: this.now(),
      status: 'Scheduled',
      results: [],
      statistics: NO_STATISTICS,
      timers: [],
    };
    this.queries.set(record.queryId, record);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    record.timers.push(
      setTimeout(() => {
        if (record.status === 'Scheduled') record.status = 'Running';
      }, 0),
      setTimeout(() => this.complete(record), this.executionDelayMs),
    );
    // A forgotten close() must not keep the process alive.
    for (const timer of record.timers) timer.unref();
    return { queryId: record.queryId };
  }

  /** Results stay readable after completion; while Scheduled/Running there are none yet. */
  getQueryResults(input: { queryId: string }): QueryResults {
    const record = this.record(input.queryId);
    return { status: record.status, results: record.results, statistics: record.statistics };
  }

  /** `success` is false when the query had already ended. */
  stopQuery(input: { queryId: string }): { success: boolean } {
    const record = this.record(input.queryId);
    if (!isActive(record.status)) return { success: false };
    this.end(record, 'Cancelled');
    return { success: true };
  }

  /** DescribeQueries: every query this service started, newest first, optionally of one status. */
  describeQueries(input: { status?: QueryStatus } = {}): QueryInfo[] {
    return [...this.queries.values()]
      .filter((record) => input.status === undefined || record.status === input.status)
      .reverse()
      .map((record) => ({
        queryId: record.queryId,
        queryString: record.query.queryString,
        status: record.status,
        createTime: record.createTime,
        logGroupName: record.logGroupNames[0],
      }));
  }

  /**
   * Takes `slots` of the concurrency quota until the returned release is called: other users' queries
   * (dashboards, an operator's investigation) holding the account's quota. Counted like running queries.
   */
  occupy(slots: number): () => void {
    if (!Number.isInteger(slots) || slots < 0) {
      throw invalidParameter(`slots must be a whole number >= 0, got ${slots}`);
    }
    this.active += slots;
    this.maxActive = Math.max(this.maxActive, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= slots;
    };
  }

  /** Clears every timer; queries still Scheduled or Running end Cancelled. */
  close(): void {
    for (const record of this.queries.values()) if (isActive(record.status)) this.end(record, 'Cancelled');
  }

  private complete(record: QueryRecord): void {
    const events = record.logGroupNames.flatMap((name) => this.store.events(name, record.startMs, record.endMs));
    const { rows, recordsMatched } = evaluateWithStatistics(record.query, events, { accountId: this.accountId });
    record.results = rows.slice(0, record.limit);
    record.statistics = {
      recordsMatched,
      recordsScanned: events.length,
      bytesScanned: events.reduce((bytes, event) => bytes + Buffer.byteLength(event.message), 0),
    };
    this.end(record, 'Complete');
  }

  private end(record: QueryRecord, status: QueryStatus): void {
    for (const timer of record.timers) clearTimeout(timer);
    record.timers = [];
    record.status = status;
    this.active--;
  }

  private logGroups(input: StartQueryRequest): string[] {
    if ((input.logGroupName === undefined) === (input.logGroupNames === undefined)) {
      throw invalidParameter('StartQuery takes exactly one of logGroupName or logGroupNames');
    }
    const names = input.logGroupNames ?? [input.logGroupName!];
    if (names.length < 1 || names.length > INSIGHTS_LIMITS.logGroupsPerQuery) {
      throw invalidParameter(
        `logGroupNames has ${names.length} log groups; a query takes 1 to ${INSIGHTS_LIMITS.logGroupsPerQuery}: ` +
          'split the groups across queries',
      );
    }
    return [...new Set(names)];
  }

  private record(queryId: string): QueryRecord {
    const record = this.queries.get(queryId);
    if (!record) {
      throw new InsightsQueryError(
        'ResourceNotFoundException',
        `query '${queryId}' does not exist here: use the queryId StartQuery returned in this region`,
      );
    }
    return record;
  }
}

function isActive(status: QueryStatus): boolean {
  return status === 'Scheduled' || status === 'Running';
}

function invalidParameter(message: string): InsightsQueryError {
  return new InsightsQueryError('InvalidParameterException', message);
}
