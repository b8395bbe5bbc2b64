import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lazy, logger, regionalSettings, requiredEnv } from '../runtime';
import { ChangeToVerify, appliedVersionsQuery } from '../verification/applied-query';

/** How far back the query looks for `flag_applied` lines, and how far ahead it allows for clock skew. */
const LOOK_BACK_SECONDS = 15 * 60;
const LOOK_AHEAD_SECONDS = 5 * 60;

/** The input of one verification execution: one Logs Insights query for a whole batch of changes. */
export interface VerificationInput {
  readonly region: string;
  readonly changes: readonly ChangeToVerify[];
  readonly query: { readonly queryString: string; readonly startTime: number; readonly endTime: number };
}

/** Reads the change-published event EventBridge delivered to the queue. */
export function parsePublishedEvent(body: string): ChangeToVerify {
  const event = JSON.parse(body) as { detail?: Partial<ChangeToVerify> };
  const detail = event.detail;
  if (
    !detail ||
    typeof detail.flagKey !== 'string' ||
    !Number.isInteger(detail.version) ||
    !Array.isArray(detail.services) ||
    typeof detail.correlationId !== 'string'
  ) {
    throw new Error('not a flag-change-published event: detail needs flagKey, version, services and correlationId');
  }
  return {
    flagKey: detail.flagKey,
    version: detail.version!,
    services: detail.services,
    correlationId: detail.correlationId,
    kind: detail.kind ?? 'change',
  };
}

export function verificationInput(
  region: string,
  changes: readonly ChangeToVerify[],
  nowMs: number,
): VerificationInput {
  const now = Math.floor(nowMs / 1000);
  return {
    region,
    changes,
    query: {
      queryString: appliedVersionsQuery(changes.map((c) => c.flagKey)),
      startTime: now - LOOK_BACK_SECONDS,
      endTime: now + LOOK_AHEAD_SECONDS,
    },
  };
}

export interface SchedulerDeps {
  readonly region: string;
  /** Runs one verification to its end (StartSyncExecution in AWS). */
  readonly runVerification: (input: VerificationInput) => Promise<{ status: string; error?: string }>;
}

/**
 * Verification requests → one express execution per batch. Concurrency is capped by the event source, so a
 * burst of changes waits in the queue instead of starting more Logs Insights queries than the quota allows.
 */
export function createVerificationSchedulerHandler(deps: () => SchedulerDeps) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const changes: ChangeToVerify[] = [];
    const malformed: string[] = [];
    for (const record of event.Records) {
      try {
        changes.push(parsePublishedEvent(record.body));
      } catch (error) {
        logger.error('malformed verification request; it goes to the dead-letter queue after its retries', {
          messageId: record.messageId,
          error: error as Error,
        });
        malformed.push(record.messageId);
      }
    }
    const failures = malformed.map((itemIdentifier) => ({ itemIdentifier }));
    if (changes.length === 0) return { batchItemFailures: failures };
    const { region, runVerification } = deps();
    const result = await runVerification(verificationInput(region, changes, Date.now()));
    if (result.status !== 'SUCCEEDED') {
      // Nothing was decided: every request of the batch is delivered again.
      logger.error('verification execution did not succeed', { status: result.status, error: result.error });
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    }
    return { batchItemFailures: failures };
  };
}

export const handler = createVerificationSchedulerHandler(
  lazy(() => {
    const sfn = new SFNClient({});
    const stateMachineArn = requiredEnv('STATE_MACHINE_ARN');
    return {
      region: regionalSettings().region,
      runVerification: async (input: VerificationInput) => {
        const output = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
        return { status: output.status ?? 'UNKNOWN', error: output.error ?? output.cause };
      },
    };
  }),
);
