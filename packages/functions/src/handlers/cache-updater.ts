import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import {
  ApplyResult,
  CacheUnavailableError,
  FlagCache,
  createFlagCache,
  flagAppliedRecord,
  jsonLineLogger,
  parseFanOutMessage,
} from '@ffc/cache';
// A single module: this function's bundle needs the grammar, not the DynamoDB client.
import { CHANGE_KINDS } from '@ffc/store/flag-document';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEFAULT_REDIS_OUTAGE_BUDGET_MS } from '../budgets';
import { countOutcome, publishOutcomes } from '../metrics';
import { serviceFromQueueArn } from '../queue-service';
import { regionalRedisFromEnv } from '../regional-redis';
import { durationSettingMs, regionalSettings, requiredEnv } from '../runtime';

export interface CacheUpdaterDeps {
  readonly cache: FlagCache;
  readonly region: string;
  /** `<stage>-fanout-`: the queue a message came from names its service. */
  readonly queueNamePrefix: string;
  /** Receives one `flag_applied` line per service: what verification queries. */
  readonly appliedLog?: { info(record: object): void };
  /**
   * How long one message waits for the region's Redis to come back before it is reported failed (then it
   * waits out the queue's visibility timeout); verification's apply deadline must cover it.
   * @default 8000 (REDIS_OUTAGE_BUDGET_MS in the function's environment)
   */
  readonly redisOutageBudgetMs?: number;
}

/**
 * SQS (one queue per service) → the region's Redis, version-monotonic. Each message is one change for one
 * service; a failed message is reported alone so the rest of the batch is not delivered again.
 */
export function createCacheUpdaterHandler(deps: () => Promise<CacheUpdaterDeps>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    // One processor per invocation: it holds the batch's failures, and invocations can overlap in one process.
    const processor = new BatchProcessor(EventType.SQS);
    const {
      cache,
      region,
      queueNamePrefix,
      appliedLog = jsonLineLogger,
      redisOutageBudgetMs = DEFAULT_REDIS_OUTAGE_BUDGET_MS,
    } = await deps();
    const applyOne = async (record: SQSRecord) => {
      const service = serviceFromQueueArn(record.eventSourceARN, queueNamePrefix);
      const change = parseFanOutMessage(record.body, { kinds: CHANGE_KINDS });
      const result = await ridingOutRedisRestarts(() => cache.apply(change, [service]), redisOutageBudgetMs);
      countOutcome('CacheEntriesApplied', result.applied.length);
      countOutcome('CacheEntriesStale', result.stale.length);
      for (const outcome of result.outcomes) {
        appliedLog.info(
          flagAppliedRecord({
            ...outcome,
            flagKey: result.flagKey,
            version: result.version,
            stage: result.stage,
            region,
          }),
        );
      }
    };
    // A batch that failed whole is reported like any other: every message retried, then dead-lettered.
    const response = await processPartialResponse(event, applyOne, processor, {
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
    countOutcome('FanOutMessagesFailed', response.batchItemFailures.length);
    publishOutcomes();
    return response;
  };
}

async function ridingOutRedisRestarts(apply: () => Promise<ApplyResult>, budgetMs: number): Promise<ApplyResult> {
  const deadline = Date.now() + budgetMs;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    try {
      return await apply();
    } catch (error) {
      // The script is idempotent (version-monotonic), so applying again after a lost reply is harmless.
      if (!(error instanceof CacheUnavailableError) || Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

async function depsFromEnv(): Promise<CacheUpdaterDeps> {
  const settings = regionalSettings();
  return {
    cache: createFlagCache({ redis: await regionalRedisFromEnv(), stage: settings.stage }),
    region: settings.region,
    queueNamePrefix: requiredEnv('QUEUE_NAME_PREFIX'),
    redisOutageBudgetMs: durationSettingMs('REDIS_OUTAGE_BUDGET_MS'),
  };
}

let connected: Promise<CacheUpdaterDeps> | undefined;
export const handler = createCacheUpdaterHandler(() => (connected ??= depsFromEnv()));
