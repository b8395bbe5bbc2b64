/** Where structured log lines go; the default writes one JSON object per line to stdout (CloudWatch Logs). */
export interface StructuredLogger {
  info(record: object): void;
  warn(record: object): void;
}

export const jsonLineLogger: StructuredLogger = {
  info: (record) => process.stdout.write(`${JSON.stringify(record)}\n`),
  warn: (record) => process.stderr.write(`${JSON.stringify(record)}\n`),
};

export type ApplyOutcome = 'applied' | 'stale';

/** The line the cache-updater writes per service after `apply`; verification queries these. */
export interface FlagAppliedRecord {
  readonly event: 'flag_applied';
  readonly flagKey: string;
  readonly version: number;
  readonly service: string;
  readonly region: string;
  readonly stage: string;
  readonly outcome: ApplyOutcome;
  /** The version the service's entry holds after the call (≥ version; higher when the change was stale). */
  readonly storedVersion: number;
  /** Which write of storedVersion the entry holds (its correlation id), when known: verification compares it. */
  readonly storedCorrelationId?: string;
}

export function flagAppliedRecord(fields: Omit<FlagAppliedRecord, 'event'>): FlagAppliedRecord {
  return { event: 'flag_applied', ...fields };
}

/** The line a reader writes when it starts serving a version; verification looks for these. */
export interface FlagActiveRecord {
  readonly event: 'flag_active';
  readonly flagKey: string;
  readonly version: number;
  /** Which write of the version is served (two regions can each accept one). @default - not recorded */
  readonly correlationId?: string;
  readonly service: string;
  readonly region: string;
  readonly stage: string;
  readonly instanceId: string;
  readonly activeAt: string;
}

export function flagActiveRecord(fields: Omit<FlagActiveRecord, 'event'>): FlagActiveRecord {
  return { event: 'flag_active', ...fields };
}

/** A reader lost or regained its link to Redis; while stale it keeps serving the last values. */
export interface ReaderStalenessRecord {
  readonly event: 'flag_reader_stale' | 'flag_reader_fresh';
  readonly service: string;
  readonly region: string;
  readonly stage: string;
  readonly instanceId: string;
  readonly reason: string;
}
