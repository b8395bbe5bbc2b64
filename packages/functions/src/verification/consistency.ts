import { AuditDifference, AuditEvent, InvalidAuditEventError, buildAuditEvent } from '@ffc/audit/lib/events';
import { ACTORS } from '../actors';
import { UnprocessableInputError } from '../errors';
import { AppliedVersion, ChangeToVerify, parseChangeToVerify } from './applied-query';

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

/** What the consistency checker audits for one verdict (validated): how many applied, then verified or inconsistent. */
export function verdictAuditEvents(stage: string, verdict: Verdict): AuditEvent[] {
  const envelope = {
    stage,
    region: verdict.region,
    flagKey: verdict.flagKey,
    version: verdict.version,
    actor: ACTORS.consistencyChecker,
    occurredAt: new Date().toISOString(),
    correlationId: verdict.correlationId,
  };
  const applied = buildAuditEvent(envelope, 'change.applied', {
    appliedCount: verdict.appliedCount,
    expectedCount: verdict.services.length,
    missingServices: verdict.differences.filter((d) => d.observedVersion === null).map((d) => d.service),
  });
  const outcome = verdict.consistent
    ? buildAuditEvent(envelope, 'change.verified', { verifiedServices: verdict.appliedCount })
    : buildAuditEvent(envelope, 'change.inconsistent', { differences: verdict.differences });
  return [applied, outcome];
}

/**
 * Refuses a change whose verification could not be audited whichever way it goes (every service applied
 * it, or none): the scheduler checks this before it starts a verification, so one such change never fails
 * the execution of a whole batch.
 */
export function assertVerifiable(stage: string, region: string, change: ChangeToVerify): void {
  const everywhere = change.services.map((service) => ({ service, flagKey: change.flagKey, version: change.version }));
  try {
    for (const applied of [everywhere, []]) verdictAuditEvents(stage, checkConsistency(region, [change], applied)[0]);
  } catch (error) {
    if (!(error instanceof InvalidAuditEventError)) throw error;
    throw new UnprocessableInputError(
      `${change.flagKey} v${change.version}: its verification could not be audited (${error.problems.join('; ')})`,
      { cause: error },
    );
  }
}

/** Reads the verdict the state machine hands the rollback (one item of the checker's answer), strictly. */
export function parseVerdict(input: unknown): Verdict {
  const change = parseChangeToVerify(input, 'verdict');
  const { region, consistent, differences } = input as Record<string, unknown>;
  if (typeof region !== 'string') throw new UnprocessableInputError('verdict: region must be a string');
  if (consistent !== false) {
    throw new UnprocessableInputError('verdict: only an inconsistent verdict (consistent: false) is rolled back');
  }
  if (!Array.isArray(differences) || differences.length === 0) {
    throw new UnprocessableInputError('verdict: differences must list the services that disagreed');
  }
  return {
    ...change,
    region,
    consistent,
    isRollback: change.kind === 'rollback',
    appliedCount: change.services.length - differences.length,
    differences: differences as AuditDifference[],
  };
}
