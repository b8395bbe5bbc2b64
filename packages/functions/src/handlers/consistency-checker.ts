import { AuditEvent } from '@ffc/audit/lib/events';
import { createFlagCache } from '@ffc/cache';
import { ACTORS } from '../actors';
import { AuditSink } from '../ports/audit-sink';
import { regionalRedisFromEnv } from '../regional-redis';
import { auditSinkFromEnv, lazy, regionalSettings } from '../runtime';
import { AppliedVersion, ChangeToVerify, ResultRow, parseAppliedRows } from '../verification/applied-query';
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

export interface ConsistencyCheckerDeps {
  readonly audit: AuditSink;
  readonly stage: string;
  /**
   * The second source: which services' own readers acknowledged serving a change in this region.
   * @default - Logs Insights only
   */
  readonly acknowledged?: (change: ChangeToVerify, region: string) => Promise<AppliedVersion[]>;
}

/** Compares what the services reported with what they should serve; records the answer; decides nothing else. */
export function createConsistencyCheckerHandler(deps: () => ConsistencyCheckerDeps | Promise<ConsistencyCheckerDeps>) {
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
    const { audit, stage, acknowledged } = await deps();
    const acknowledgements = acknowledged
      ? (await Promise.all(request.changes.map((c) => acknowledged(c, request.region)))).flat()
      : [];
    const verdicts = checkConsistency(
      request.region,
      request.changes,
      parseAppliedRows(request.rows),
      acknowledgements,
    );
    await audit.record(verdicts.flatMap((verdict) => auditOf(stage, verdict)));
    return { verdicts };
  };
}

export const handler = createConsistencyCheckerHandler(
  lazy(async () => {
    const { stage } = regionalSettings();
    const cache = createFlagCache({ redis: await regionalRedisFromEnv(), stage });
    return {
      audit: auditSinkFromEnv(),
      stage,
      acknowledged: async (change: ChangeToVerify, region: string) =>
        (await cache.acknowledgements(change.flagKey, change.version))
          .filter((ack) => ack.region === region)
          .map(({ service, flagKey, version }) => ({ service, flagKey, version })),
    };
  }),
);
