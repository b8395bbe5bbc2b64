import { createFlagCache } from '@ffc/cache';
import { DEFAULT_APPLY_DEADLINE_MS } from '../budgets';
import { UnprocessableInputError } from '../errors';
import { AuditSink } from '../ports/audit-sink';
import { regionalRedisFromEnv } from '../regional-redis';
import { auditSinkFromEnv, durationSettingMs, lazy, regionalSettings } from '../runtime';
import {
  AppliedVersion,
  ChangeToVerify,
  ResultRow,
  parseAppliedRows,
  parseChangeToVerify,
} from '../verification/applied-query';
import {
  Verdict,
  assertVerifiable,
  checkConsistency,
  pendingUntil,
  verdictAuditEvents,
} from '../verification/consistency';

/** How often the readers' acknowledgements are read again while a change is within its apply deadline. */
const ACKNOWLEDGEMENT_POLL_MS = 500;

/** The state machine's CheckConsistency payload. */
export interface ConsistencyRequest {
  readonly region: string;
  readonly changes: readonly ChangeToVerify[];
  readonly rows: readonly ResultRow[];
}

export interface ConsistencyCheckerDeps {
  readonly audit: AuditSink;
  readonly stage: string;
  /**
   * The second source: which services' own readers acknowledged serving a change in this region.
   * @default - Logs Insights only
   */
  readonly acknowledged?: (change: ChangeToVerify, region: string) => Promise<AppliedVersion[]>;
  /**
   * How long after publication a change may still be reaching its caches: until then an inconsistent
   * verdict is not final and the acknowledgements are read again. Must cover the cache updater's Redis
   * outage budget, and stay below the checker's timeout minus the verification's settle time.
   * @default 10000 (APPLY_DEADLINE_MS in the function's environment)
   */
  readonly applyDeadlineMs?: number;
}

/**
 * Compares what the services reported with what they should serve; records the answer; decides nothing else.
 * The whole request is judged, and every audit event built and validated, before anything is recorded.
 */
export function createConsistencyCheckerHandler(deps: () => ConsistencyCheckerDeps | Promise<ConsistencyCheckerDeps>) {
  return async (request: ConsistencyRequest): Promise<{ verdicts: Verdict[] }> => {
    if (
      !request ||
      !Array.isArray(request.changes) ||
      !Array.isArray(request.rows) ||
      typeof request.region !== 'string'
    ) {
      throw new UnprocessableInputError(
        'consistency check needs { region, changes[], rows[] } (the verification state machine sends it)',
      );
    }
    const { audit, stage, acknowledged, applyDeadlineMs = DEFAULT_APPLY_DEADLINE_MS } = await deps();
    const changes = request.changes.map((input, i) => {
      const change = parseChangeToVerify(input, `changes[${i}]`);
      assertVerifiable(stage, request.region, change);
      return change;
    });
    const rows = parseAppliedRows(request.rows);
    let verdicts = checkConsistency(request.region, changes, rows);
    // Acknowledgements only add evidence, so they are read while a verdict is inconsistent; before a change's
    // apply deadline its caches may still be filling (a Redis restart ridden out), so again until then.
    for (let first = true; acknowledged && verdicts.some((v) => !v.consistent); first = false) {
      const pending = pendingUntil(verdicts, applyDeadlineMs) > Date.now();
      if (!first && !pending) break;
      if (!first) await new Promise((resolve) => setTimeout(resolve, ACKNOWLEDGEMENT_POLL_MS));
      try {
        const acknowledgements = (await Promise.all(changes.map((c) => acknowledged(c, request.region)))).flat();
        verdicts = checkConsistency(request.region, changes, rows, acknowledgements);
      } catch (error) {
        // Redis may be the very thing restarting: read again within the deadline, else the execution is retried whole.
        if (!pending) throw error;
      }
    }
    await audit.record(verdicts.flatMap((verdict) => verdictAuditEvents(stage, verdict)));
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
      applyDeadlineMs: durationSettingMs('APPLY_DEADLINE_MS'),
      acknowledged: async (change: ChangeToVerify, region: string) =>
        (await cache.acknowledgements(change.flagKey, change.version))
          .filter((ack) => ack.region === region)
          .map(({ service, flagKey, version, correlationId }) => ({ service, flagKey, version, correlationId })),
    };
  }),
);
