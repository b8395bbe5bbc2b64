import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { UnprocessableInputError } from '../errors';
import { lazy, logger, regionalSettings, requiredEnv } from '../runtime';
import { canonicalJson } from '../validation/canonical-json';
import { ChangeToVerify, appliedVersionsQuery, parseChangeToVerify } from '../verification/applied-query';
import { assertVerifiable } from '../verification/consistency';

/** How far back the query looks for `flag_applied` lines, and how far ahead it allows for clock skew. */
const LOOK_BACK_SECONDS = 15 * 60;
const LOOK_AHEAD_SECONDS = 5 * 60;

/** The input of one verification execution: one Logs Insights query for a whole batch of changes. */
export interface VerificationInput {
  readonly region: string;
  readonly changes: readonly ChangeToVerify[];
  readonly query: { readonly queryString: string; readonly startTime: number; readonly endTime: number };
}

/** Reads the change-published event EventBridge delivered to the queue, strictly (see parseChangeToVerify). */
export function parsePublishedEvent(body: string): ChangeToVerify {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch (error) {
    throw new UnprocessableInputError(`not a flag-change-published event: not JSON (${(error as Error).message})`);
  }
  const { detail, time } = (event ?? {}) as { detail?: unknown; time?: unknown };
  if (typeof detail !== 'object' || detail === null) {
    throw new UnprocessableInputError(
      'not a flag-change-published event: detail needs flagKey, version, services and correlationId',
    );
  }
  // The event's time is when the change was published: verification's apply deadline counts from it.
  const publishedAt = typeof time === 'string' ? time : undefined;
  return parseChangeToVerify({ ...detail, publishedAt }, 'flag-change-published detail');
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
  /** The stage whose audit trail the verification writes to: each change must be auditable there. */
  readonly stage: string;
  /** Runs one verification to its end (StartSyncExecution in AWS). */
  readonly runVerification: (input: VerificationInput) => Promise<{ status: string; error?: string }>;
}

/**
 * Verification requests → one express execution per batch. Concurrency is capped by the event source, so a
 * burst of changes waits in the queue instead of starting more Logs Insights queries than the quota allows.
 *
 * One execution decides a whole batch, so a request that could fail it (malformed, or one whose verdict
 * the checker could not audit) is refused alone first: it goes to the dead-letter queue after its retries,
 * and never takes the good requests of its batch with it. Duplicates (SQS delivers at least once) are
 * verified once and acknowledged together.
 */
export function createVerificationSchedulerHandler(deps: () => SchedulerDeps) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    if (!Array.isArray(event?.Records)) {
      throw new UnprocessableInputError('the scheduler takes an SQS event ({ Records: [...] })');
    }
    const { region, stage, runVerification } = deps();
    const changes = new Map<string, ChangeToVerify>();
    const accepted: string[] = [];
    const refused: string[] = [];
    for (const record of event.Records) {
      try {
        const change = parsePublishedEvent(record.body);
        assertVerifiable(stage, region, change);
        changes.set(canonicalJson(change), change);
        accepted.push(record.messageId);
      } catch (error) {
        logger.error('malformed verification request; it goes to the dead-letter queue after its retries', {
          messageId: record?.messageId,
          error: error as Error,
        });
        refused.push(record?.messageId);
      }
    }
    const failures = (ids: readonly string[]) => ({
      batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })),
    });
    if (changes.size === 0) return failures(refused);
    let result: { status: string; error?: string };
    try {
      result = await runVerification(verificationInput(region, [...changes.values()], Date.now()));
    } catch (error) {
      result = { status: 'NOT_STARTED', error: (error as Error).message };
    }
    if (result.status !== 'SUCCEEDED') {
      // Nothing was decided: every request of the batch is delivered again.
      logger.error('verification execution did not succeed', { status: result.status, error: result.error });
      return failures([...refused, ...accepted]);
    }
    return failures(refused);
  };
}

export const handler = createVerificationSchedulerHandler(
  lazy(() => {
    const sfn = new SFNClient({});
    const stateMachineArn = requiredEnv('STATE_MACHINE_ARN');
    const { region, stage } = regionalSettings();
    return {
      region,
      stage,
      runVerification: async (input: VerificationInput) => {
        const output = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
        return { status: output.status ?? 'UNKNOWN', error: output.error ?? output.cause };
      },
    };
  }),
);
