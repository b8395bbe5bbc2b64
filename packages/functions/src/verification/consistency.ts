import { AuditDifference, AuditEvent, InvalidAuditEventError, buildAuditEvent } from '@ffc/audit/events';
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
 * the same version only as the same write (correlation id) when the source says which write it holds,
 * and differences are listed in service order. Two sources count alike: the cache updater's `flag_applied`
 * lines (Logs Insights) and the services' own readers' acknowledgements (Redis).
 */
export function checkConsistency(
  region: string,
  changes: readonly ChangeToVerify[],
  applied: readonly AppliedVersion[],
  acknowledged: readonly AppliedVersion[] = [],
): Verdict[] {
  const evidence = new Map<string, AppliedVersion[]>();
  for (const row of [...applied, ...acknowledged]) {
    const key = `${row.flagKey}\u0000${row.service}`;
    evidence.set(key, [...(evidence.get(key) ?? []), row]);
  }
  return changes.map((change) => {
    // The same version counts only as this write (or when the source cannot tell which write it holds).
    const holds = (row: AppliedVersion) =>
      row.version > change.version ||
      (row.version === change.version &&
        (row.correlationId === undefined || row.correlationId === change.correlationId));
    const differences: AuditDifference[] = [];
    for (const service of [...change.services].sort()) {
      const rows = evidence.get(`${change.flagKey}\u0000${service}`) ?? [];
      if (!rows.some(holds)) {
        const observed = rows.length > 0 ? Math.max(...rows.map((r) => r.version)) : null;
        differences.push({ service, expectedVersion: change.version, observedVersion: observed });
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

/**
 * Until when (ms since the epoch) an inconsistent verdict is not final: its change was published less than
 * `applyDeadlineMs` ago, so its caches may still be filling (the cache updater riding out a Redis restart).
 * -Infinity when every verdict is final.
 */
export function pendingUntil(verdicts: readonly Verdict[], applyDeadlineMs: number): number {
  const dueAt = verdicts
    .filter((v) => !v.consistent && v.publishedAt !== undefined)
    .map((v) => Date.parse(v.publishedAt!) + applyDeadlineMs);
  return Math.max(-Infinity, ...dueAt);
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
