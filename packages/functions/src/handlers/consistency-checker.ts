import { AuditEvent } from '@ffc/audit/lib/events';
import { ACTORS } from '../actors';
import { AuditSink } from '../ports/audit-sink';
import { auditSinkFromEnv, lazy, regionalSettings } from '../runtime';
import { ChangeToVerify, ResultRow, parseAppliedRows } from '../verification/applied-query';
import { Verdict, checkConsistency } from '../verification/consistency';

/** The state machine's CheckConsistency payload. */
export interface ConsistencyRequest {
  readonly region: string;
  readonly changes: readonly ChangeToVerify[];
  readonly rows: readonly ResultRow[];
}

function auditOf(stage: string, verdict: Verdict): AuditEvent[] {
  const common = {
    stage,
    region: verdict.region,
    flagKey: verdict.flagKey,
    version: verdict.version,
    actor: ACTORS.consistencyChecker,
    occurredAt: new Date().toISOString(),
    correlationId: verdict.correlationId,
  };
  const applied: AuditEvent = {
    ...common,
    type: 'change.applied',
    details: {
      appliedCount: verdict.appliedCount,
      expectedCount: verdict.services.length,
      missingServices: verdict.differences.filter((d) => d.observedVersion === null).map((d) => d.service),
    },
  };
  const outcome: AuditEvent = verdict.consistent
    ? { ...common, type: 'change.verified', details: { verifiedServices: verdict.appliedCount } }
    : { ...common, type: 'change.inconsistent', details: { differences: verdict.differences } };
  return [applied, outcome];
}

/** Compares what the services reported with what they should serve; records the answer; decides nothing else. */
export function createConsistencyCheckerHandler(deps: () => { audit: AuditSink; stage: string }) {
  return async (request: ConsistencyRequest): Promise<{ verdicts: Verdict[] }> => {
    if (
      !request ||
      !Array.isArray(request.changes) ||
      !Array.isArray(request.rows) ||
      typeof request.region !== 'string'
    ) {
      throw new Error(
        'consistency check needs { region, changes[], rows[] } (the verification state machine sends it)',
      );
    }
    const verdicts = checkConsistency(request.region, request.changes, parseAppliedRows(request.rows));
    const { audit, stage } = deps();
    await audit.record(verdicts.flatMap((verdict) => auditOf(stage, verdict)));
    return { verdicts };
  };
}

export const handler = createConsistencyCheckerHandler(
  lazy(() => ({ audit: auditSinkFromEnv(), stage: regionalSettings().stage })),
);
