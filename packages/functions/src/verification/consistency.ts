import { AuditDifference } from '@ffc/audit/lib/events';
import { AppliedVersion, ChangeToVerify } from './applied-query';

/** The checker's answer for one change in one region. */
export interface Verdict extends ChangeToVerify {
  readonly region: string;
  readonly consistent: boolean;
  /** A rollback that fails verification raises an alert; it is never rolled back again. */
  readonly isRollback: boolean;
  readonly appliedCount: number;
  readonly differences: readonly AuditDifference[];
}

/**
 * Compares what every targeted service reported against the expected version. Pure and deterministic: the
 * expected set is explicit, a newer version also counts as applied (a later change superseded this one),
 * and differences are listed in service order. Two sources count alike: the cache updater's `flag_applied`
 * lines (Logs Insights) and the services' own readers' acknowledgements (Redis).
 */
export function checkConsistency(
  region: string,
  changes: readonly ChangeToVerify[],
  applied: readonly AppliedVersion[],
  acknowledged: readonly AppliedVersion[] = [],
): Verdict[] {
  const newest = new Map<string, number>();
  for (const row of [...applied, ...acknowledged]) {
    const key = `${row.flagKey}\u0000${row.service}`;
    newest.set(key, Math.max(newest.get(key) ?? -Infinity, row.version));
  }
  return changes.map((change) => {
    const differences: AuditDifference[] = [];
    for (const service of [...change.services].sort()) {
      const observed = newest.get(`${change.flagKey}\u0000${service}`);
      if (observed === undefined || observed < change.version) {
        differences.push({ service, expectedVersion: change.version, observedVersion: observed ?? null });
      }
    }
    return {
      ...change,
      region,
      consistent: differences.length === 0,
      isRollback: change.kind === 'rollback',
      appliedCount: change.services.length - differences.length,
      differences,
    };
  });
}
