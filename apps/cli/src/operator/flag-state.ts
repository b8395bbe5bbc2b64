import { AuditRecord } from '@ffc/audit';
import { isTombstone } from '@ffc/cache';
import { FlagChange, expectedServices as servicesExpected, serviceCatalogue } from '@ffc/rules';
import { FlagDocument, isRollback } from '@ffc/store';
import { AuditUnavailableError, StageTarget } from './target';

/** What one service's cache holds, against the version the flag is at. */
export type CellState = 'acknowledged' | 'current' | 'older' | 'missing';

/** The words the console and `status --services` print beside each colour. */
export const CELL_LABELS: Readonly<Record<CellState, string>> = {
  acknowledged: 'serves it (reader acknowledged)',
  current: 'holds it',
  older: 'older version',
  missing: 'nothing',
};

export interface ServiceCell {
  readonly service: string;
  readonly state: CellState;
  /** The version the service's cache holds, null when it holds nothing. */
  readonly version: number | null;
}

export interface RegionState {
  readonly region: string;
  /** The services this version is for in this region (the expected set verification checks). */
  readonly expected: number;
  /** How many of them hold this version; null when that cannot be seen (a deployed stage not checked yet). */
  readonly serving: number | null;
  /** Expected services that do not hold it, by name. */
  readonly notServing: readonly string[];
  readonly verified: boolean;
  /** The highest version verified in this region (the table's verification item). */
  readonly verifiedVersion: number;
  /** Where `serving` comes from. */
  readonly source: 'caches' | 'consistency-checker' | 'not-checked-yet';
  /** Per service, when the caches are readable. */
  readonly services?: readonly ServiceCell[];
}

export interface FlagState {
  readonly stage: string;
  readonly flagKey: string;
  readonly where: 'local' | 'deployed';
  readonly current: FlagDocument;
  readonly lastKnownGood: FlagDocument | null;
  readonly regions: readonly RegionState[];
  /** Every expected service in every region holds the current version and every region verified it. */
  readonly converged: boolean;
  /** The current version is a rollback not yet verified everywhere. */
  readonly rollbackInProgress?: {
    readonly fromVersion: number;
    readonly toVersion: number;
    readonly changedBy: string;
  };
  /** Audit events that explain trouble with this version or the one it rolled back: rejections, inconsistencies, rollbacks, alerts. */
  readonly incidents: readonly AuditRecord[];
  /** What this view cannot show, and where the figure comes from instead. */
  readonly notes: readonly string[];
}

const INCIDENT_TYPES = new Set<AuditRecord['type']>([
  'change.rejected',
  'change.inconsistent',
  'rollback.started',
  'rollback.completed',
  'rollback.failed',
  'alert.raised',
]);

/** The flag does not exist in the stage (never created, or its rejected creation was removed). */
export class FlagNotFoundError extends Error {
  constructor(flagKey: string, stage: string, version?: number, archived?: FlagDocument) {
    super(
      archived
        ? `flag '${flagKey}' was archived in stage '${stage}' as version ${archived.version} by ${String(archived.changedBy)}: ffc get ${flagKey} --version ${archived.version - 1} shows its last content`
        : version === undefined
          ? `flag '${flagKey}' does not exist in stage '${stage}'`
          : `flag '${flagKey}' has no version ${version} in stage '${stage}'`,
    );
    this.name = 'FlagNotFoundError';
  }
}

/** The services a version is for in a region: the contract the validator publishes to and verification checks. */
export function expectedServices(document: FlagDocument, region: string): string[] {
  return servicesExpected(document as unknown as FlagChange, region, serviceCatalogue);
}

/** The flag's audit events, or none with a note when the audit history does not answer. */
export async function auditHistory(target: StageTarget, flagKey: string, notes: string[]): Promise<AuditRecord[]> {
  try {
    return await target.audit.history(flagKey);
  } catch (error) {
    if (!(error instanceof AuditUnavailableError)) throw error;
    notes.push(error.message);
    return [];
  }
}

/** The regions whose verification of `version` is on record: the table's verification item or the audit history. */
export async function verifiedRegions(
  target: StageTarget,
  flagKey: string,
  version: number,
  history: readonly AuditRecord[],
): Promise<string[]> {
  const verified = await target.store.verifiedVersions(flagKey, target.regions);
  return target.regions.filter(
    (region) =>
      verified[region] === version ||
      history.some((e) => e.type === 'change.verified' && e.region === region && e.version === version),
  );
}

async function cacheCells(target: StageTarget, region: string, flagKey: string, version: number, services: string[]) {
  const cache = target.caches!.get(region);
  if (!cache) return undefined;
  const [records, acknowledgements] = await Promise.all([
    Promise.all(services.map((service) => cache.record(service, flagKey))),
    cache.acknowledgements(flagKey, version),
  ]);
  const acknowledged = new Set(acknowledgements.map((a) => a.service));
  return services.map((service, i): ServiceCell => {
    const record = records[i];
    // An archive tombstone holds a version too: the cache has moved on to it.
    const held = record ? record.version : null;
    const state: CellState =
      held === null
        ? 'missing'
        : held < version
          ? 'older'
          : acknowledged.has(service) && !isTombstone(record!)
            ? 'acknowledged'
            : 'current';
    return { service, state, version: held };
  });
}

/** Says whether a flag that reads as absent was archived. */
export async function notFound(target: StageTarget, flagKey: string): Promise<FlagNotFoundError> {
  const record = await target.store.currentRecord(flagKey);
  return new FlagNotFoundError(flagKey, target.stage, undefined, record?.kind === 'archive' ? record : undefined);
}

/** Where the flag's current version stands in every region of the stage. */
export async function readFlagState(target: StageTarget, flagKey: string): Promise<FlagState> {
  const current = await target.store.get(flagKey);
  if (!current) throw await notFound(target, flagKey);
  const notes: string[] = [];
  const [lastKnownGood, verified, history] = await Promise.all([
    target.store.lastKnownGood(flagKey, target.regions),
    target.store.verifiedVersions(flagKey, target.regions),
    auditHistory(target, flagKey, notes),
  ]);
  const version = current.version;
  if (!target.caches) {
    notes.push(
      `per-service cache contents are inside stage '${target.stage}''s VPC and cannot be read from here: the counts are the consistency checker's recorded result (change.applied / change.inconsistent audit events)`,
    );
  }
  const regions = await Promise.all(
    target.regions.map(async (region): Promise<RegionState> => {
      const services = expectedServices(current, region);
      const base = {
        region,
        expected: services.length,
        verifiedVersion: verified[region],
        verified: verified[region] >= version,
      };
      const cells = target.caches ? await cacheCells(target, region, flagKey, version, services) : undefined;
      if (cells) {
        const notServing = cells.filter((c) => c.state === 'older' || c.state === 'missing').map((c) => c.service);
        return { ...base, serving: services.length - notServing.length, notServing, source: 'caches', services: cells };
      }
      // Newest first: the checker's last word on this version in this region.
      const checked = history.find(
        (e) =>
          e.region === region &&
          e.version === version &&
          (e.type === 'change.verified' || e.type === 'change.inconsistent'),
      );
      if (!checked) {
        return { ...base, serving: base.verified ? services.length : null, notServing: [], source: 'not-checked-yet' };
      }
      const notServing =
        checked.type === 'change.inconsistent' ? checked.details.differences.map((d) => d.service) : [];
      return { ...base, serving: services.length - notServing.length, notServing, source: 'consistency-checker' };
    }),
  );
  const converged = regions.every((r) => r.verified && r.serving === r.expected);
  const concerned = new Set([version, ...(isRollback(current) ? [current.rollbackOf!] : [])]);
  const incidents = history.filter((e) => INCIDENT_TYPES.has(e.type) && concerned.has(e.version)).reverse();
  return {
    stage: target.stage,
    flagKey,
    where: target.where,
    current,
    lastKnownGood,
    regions,
    converged,
    ...(isRollback(current) && !regions.every((r) => r.verified)
      ? {
          rollbackInProgress: {
            fromVersion: current.rollbackOf!,
            toVersion: version,
            changedBy: String(current.changedBy ?? 'unknown'),
          },
        }
      : {}),
    incidents,
    notes,
  };
}
