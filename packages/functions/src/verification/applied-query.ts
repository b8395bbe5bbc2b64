/** A change a verification checks: the services of this region that must serve `version` (or newer). */
export interface ChangeToVerify {
  readonly flagKey: string;
  readonly version: number;
  readonly services: readonly string[];
  readonly correlationId: string;
  readonly kind: 'change' | 'restore' | 'rollback';
}

/** One service's newest applied version of a flag, from the cache updater's `flag_applied` lines. */
export interface AppliedVersion {
  readonly service: string;
  readonly flagKey: string;
  readonly version: number;
}

/** A Logs Insights result row: a list of field/value pairs. */
export type ResultRow = ReadonlyArray<{ readonly field: string; readonly value: string }>;

const FLAG_KEY = /^[a-z][a-z0-9-]{2,63}$/;

/**
 * One Logs Insights query for a whole batch of changes: the newest version each service reported applied
 * (or already held) for each flag. Flag keys are validated before they are quoted into the query.
 */
export function appliedVersionsQuery(flagKeys: readonly string[]): string {
  const keys = [...new Set(flagKeys)].sort();
  for (const key of keys) if (!FLAG_KEY.test(key)) throw new Error(`refusing to query for invalid flag key '${key}'`);
  return [
    'fields service, flagKey, storedVersion',
    `| filter event = "flag_applied" and flagKey in [${keys.map((k) => `"${k}"`).join(', ')}]`,
    '| stats max(storedVersion) as version by service, flagKey',
  ].join(' ');
}

/** Reads the query's rows; a row without a numeric version is skipped (it cannot prove anything). */
export function parseAppliedRows(rows: readonly ResultRow[]): AppliedVersion[] {
  const applied: AppliedVersion[] = [];
  for (const row of rows) {
    const field = (name: string) => row.find((cell) => cell.field === name)?.value;
    const service = field('service');
    const flagKey = field('flagKey');
    const version = Number(field('version'));
    if (service && flagKey && Number.isInteger(version)) applied.push({ service, flagKey, version });
  }
  return applied;
}
