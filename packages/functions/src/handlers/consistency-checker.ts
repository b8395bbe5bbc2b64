import { createFlagCache } from '@ffc/cache';
import { UnprocessableInputError } from '../errors';
import { AuditSink } from '../ports/audit-sink';
import { regionalRedisFromEnv } from '../regional-redis';
import { auditSinkFromEnv, lazy, regionalSettings } from '../runtime';
import {
  AppliedVersion,
  ChangeToVerify,
  ResultRow,
  parseAppliedRows,
  parseChangeToVerify,
} from '../verification/applied-query';
import { Verdict, assertVerifiable, checkConsistency, verdictAuditEvents } from '../verification/consistency';

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
    const { audit, stage, acknowledged } = await deps();
    const changes = request.changes.map((input, i) => {
      const change = parseChangeToVerify(input, `changes[${i}]`);
      assertVerifiable(stage, request.region, change);
      return change;
    });
    const acknowledgements = acknowledged
      ? (await Promise.all(changes.map((c) => acknowledged(c, request.region)))).flat()
      : [];
    const verdicts = checkConsistency(request.region, changes, parseAppliedRows(request.rows), acknowledgements);
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
      acknowledged: async (change: ChangeToVerify, region: string) =>
        (await cache.acknowledgements(change.flagKey, change.version))
          .filter((ack) => ack.region === region)
          .map(({ service, flagKey, version }) => ({ service, flagKey, version })),
    };
  }),
);
