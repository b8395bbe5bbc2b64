import { FLAG_KEY, identifierProblem, isFlagKey } from '@ffc/identifiers';
// Single modules: the scheduler's bundle needs the version grammar, not the DynamoDB client.
import { CHANGE_KINDS, ChangeKind } from '@ffc/store/flag-document';
import { isStoredVersion } from '@ffc/store/keys';
import { UnprocessableInputError } from '../errors';

/** A change a verification checks: the services of this region that must serve `version` (or newer). */
export interface ChangeToVerify {
  readonly flagKey: string;
  readonly version: number;
  readonly services: readonly string[];
  readonly correlationId: string;
  readonly kind: ChangeKind;
  /** When it was published (the change-published event's time): its caches may still be filling until the apply deadline. */
  readonly publishedAt?: string;
}

/** One service's newest applied version of a flag, from the cache updater's `flag_applied` lines. */
export interface AppliedVersion {
  readonly service: string;
  readonly flagKey: string;
  readonly version: number;
  /**
   * Which write of that version the service holds (two regions can each accept one; last-writer-wins keeps
   * one of them). @default - not known (older log lines and acknowledgements): any write of the version
   */
  readonly correlationId?: string;
}

/** A Logs Insights result row: a list of field/value pairs. */
export type ResultRow = ReadonlyArray<{ readonly field: string; readonly value: string }>;

/**
 * Reads a change to verify from untrusted JSON (the published event's detail, the checker's request, a
 * verdict), strictly: a version is a JSON integer from 1 up, services a non-empty list of distinct names.
 * Ids are checked where they are used, by the audit contract (see verdictAuditEvents).
 */
export function parseChangeToVerify(input: unknown, what = 'change'): ChangeToVerify {
  const problem = (message: string) => new UnprocessableInputError(`${what}: ${message}`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw problem('must be an object');
  const { flagKey, version, services, correlationId, kind = 'change', publishedAt } = input as Record<string, unknown>;
  if (!isFlagKey(flagKey)) {
    const why = identifierProblem(FLAG_KEY, flagKey);
    throw problem(`flagKey ${JSON.stringify(flagKey)} must match ${FLAG_KEY.pattern.source}: it ${why}`);
  }
  if (!isStoredVersion(version)) throw problem(`version ${JSON.stringify(version)} must be an integer from 1`);
  if (
    !Array.isArray(services) ||
    services.length === 0 ||
    !services.every((service) => typeof service === 'string') ||
    new Set(services).size !== services.length
  ) {
    throw problem('services must be a non-empty list of distinct service names');
  }
  if (typeof correlationId !== 'string') throw problem('correlationId must be a string');
  if (!(CHANGE_KINDS as readonly unknown[]).includes(kind)) {
    throw problem(`kind must be one of ${CHANGE_KINDS.join(', ')}`);
  }
  if (publishedAt !== undefined && (typeof publishedAt !== 'string' || Number.isNaN(Date.parse(publishedAt)))) {
    throw problem(`publishedAt ${JSON.stringify(publishedAt)} must be an ISO 8601 time`);
  }
  const change = { flagKey, version, services: [...services], correlationId, kind: kind as ChangeKind };
  return publishedAt === undefined ? change : { ...change, publishedAt };
}

/**
 * One Logs Insights query for a whole batch of changes: the newest version each service reported applied
 * (or already held) for each flag. Flag keys are validated before they are quoted into the query.
 */
export function appliedVersionsQuery(flagKeys: readonly string[]): string {
  const keys = [...new Set(flagKeys)].sort();
  for (const key of keys) {
    if (!isFlagKey(key)) throw new Error(`refusing to query for invalid flag key '${key}'`);
  }
  return [
    'fields service, flagKey, storedVersion, storedCorrelationId',
    `| filter event = "flag_applied" and flagKey in [${keys.map((k) => `"${k}"`).join(', ')}]`,
    // By write as well: a service holding the other region's write of a version has not applied this one.
    '| stats max(storedVersion) as version by service, flagKey, storedCorrelationId',
  ].join(' ');
}

/** Logs Insights returns every value as text; only plain decimals are versions ("0x10", "1e3", "" are not). */
const DECIMAL = /^[1-9]\d*$/;

/** Reads the query's rows; a row that does not name a service, a flag and a version cannot prove anything. */
export function parseAppliedRows(rows: readonly ResultRow[]): AppliedVersion[] {
  const applied: AppliedVersion[] = [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const field = (name: string) => {
      const value: unknown = row.find((cell) => cell?.field === name)?.value;
      return typeof value === 'string' ? value : undefined;
    };
    const service = field('service');
    const flagKey = field('flagKey');
    const version = field('version');
    const correlationId = field('storedCorrelationId') || undefined;
    if (service && flagKey && version && DECIMAL.test(version) && isStoredVersion(Number(version))) {
      applied.push({ service, flagKey, version: Number(version), ...(correlationId ? { correlationId } : {}) });
    }
  }
  return applied;
}
