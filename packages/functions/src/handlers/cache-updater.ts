import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { FlagCache, createFlagCache, flagAppliedRecord, jsonLineLogger, parseFanOutMessage } from '@ffc/cache';
// Single modules: this function's bundle needs the grammar, not the DynamoDB client.
import { CHANGE_KINDS } from '@ffc/store/lib/flag-document';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { countOutcome, publishOutcomes } from '../metrics';
import { serviceFromQueueArn } from '../queue-service';
import { regionalRedisFromEnv } from '../regional-redis';
import { regionalSettings, requiredEnv } from '../runtime';

export interface CacheUpdaterDeps {
  readonly cache: FlagCache;
  readonly region: string;
  /** `<stage>-fanout-`: the queue a message came from names its service. */
  readonly queueNamePrefix: string;
  /** Receives one `flag_applied` line per service: what verification queries. */
  readonly appliedLog?: { info(record: object): void };
}

/**
 * SQS (one queue per service) → the region's Redis, version-monotonic. Each message is one change for one
 * service; a failed message is reported alone so the rest of the batch is not delivered again.
 */
export function createCacheUpdaterHandler(deps: () => Promise<CacheUpdaterDeps>) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { cache, region, queueNamePrefix, appliedLog = jsonLineLogger } = await deps();
    const applyOne = async (record: SQSRecord) => {
      const service = serviceFromQueueArn(record.eventSourceARN, queueNamePrefix);
      const result = await cache.apply(parseFanOutMessage(record.body, { kinds: CHANGE_KINDS }), [service]);
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

async function depsFromEnv(): Promise<CacheUpdaterDeps> {
  const settings = regionalSettings();
  return {
    cache: createFlagCache({ redis: await regionalRedisFromEnv(), stage: settings.stage }),
    region: settings.region,
    queueNamePrefix: requiredEnv('QUEUE_NAME_PREFIX'),
  };
}

let connected: Promise<CacheUpdaterDeps> | undefined;
export const handler = createCacheUpdaterHandler(() => (connected ??= depsFromEnv()));
