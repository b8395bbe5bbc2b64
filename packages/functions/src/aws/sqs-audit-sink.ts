import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { AuditEvent, parseAuditEvent } from '@ffc/audit/events';
import { AuditSink } from '../ports/audit-sink';

/** SQS takes at most 10 messages per batch. */
const SQS_BATCH = 10;

/**
 * Producers' side of the durable audit hand-off: events are validated here (a bad event fails its producer
 * loudly, not the writer later) and sent to the audit queue; OpenSearch being down never loses them.
 */
export function createSqsAuditSink(sqs: SQSClient, queueUrl: string, stage: string): AuditSink {
  return {
    async record(events: readonly AuditEvent[]): Promise<void> {
      const bodies = events.map((event) => JSON.stringify(parseAuditEvent(event, stage)));
      for (let start = 0; start < bodies.length; start += SQS_BATCH) {
        const slice = bodies.slice(start, start + SQS_BATCH);
        const result = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: slice.map((body, i) => ({ Id: String(i), MessageBody: body })),
          }),
        );
        if (result.Failed?.length) {
          throw new Error(
            `audit queue refused ${result.Failed.length} event(s): ${result.Failed.map((f) => `${f.Code} ${f.Message}`).join('; ')}`,
          );
        }
      }
    },
  };
}
