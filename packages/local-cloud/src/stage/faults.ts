import type { DynamoDBRecord } from 'aws-lambda';

/**
 * What a fault does to the fan-out deliveries it matches (the cache updater's SQS event source):
 * `fail` reports the message as failed (retried, then dead-lettered); `duplicate` delivers it and sends
 * a copy to the queue (SQS is at least once); `delay` holds it back for `delaySeconds`, so later
 * messages overtake it (standard queues do not keep order).
 */
export type DeliveryFaultEffect = 'fail' | 'duplicate' | 'delay';

/**
 * What a fault does to the stream records it matches (the validator's DynamoDB event source): `crash`
 * fails every invocation whose batch holds the record, as a function that runs out of memory on it would
 * (Lambda bisects, retries, then sends the batch to the on-failure destination); `replay` delivers the
 * batch again after `delayMs`, as a retried or re-read shard would.
 */
export type StreamFaultEffect = 'crash' | 'replay';

export interface StreamFault {
  readonly region: string;
  readonly effect: StreamFaultEffect;
  readonly matches: (record: DynamoDBRecord) => boolean;
  /** For `replay`. @default 1000 */
  readonly delayMs?: number;
}

/** An engine one stage can lose (with `faultInjection`): OpenSearch, or one region's Redis. */
export type FaultableEngine = 'opensearch' | { readonly redis: string };
