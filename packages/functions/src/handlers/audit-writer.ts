import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  AuditBatchReport,
  AuditBatchTarget,
  auditConnectionFromEnv,
  createAuditBulkClient,
  writeAuditBatch,
} from '@ffc/audit';
import { AUDIT_FORWARDING } from '@ffc/identifiers';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { durationSettingMs, lazy, logger, requiredEnv } from '../runtime';

/**
 * The durable audit queue → OpenSearch. What OpenSearch holds (written or already there) is acknowledged;
 * everything else is reported as a batch item failure — retried while OpenSearch is down, and after its
 * retries moved to the dead-letter queue with the reason logged. Nothing is dropped.
 */
export interface AuditWriterSettings {
  /**
   * How long one batch keeps retrying while OpenSearch is unreachable, within the invocation's remaining
   * time (less room for one bulk request) when a Lambda context gives it.
   * @default 0 - failures reported at once (the deployed handler: OPENSEARCH_OUTAGE_BUDGET_MS, else 40 s)
   */
  readonly opensearchOutageBudgetMs?: number;
}

export function createAuditWriterHandler(target: () => AuditBatchTarget, settings: AuditWriterSettings = {}) {
  return async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const messages = event.Records.map((record) => ({ id: record.messageId, body: record.body }));
    const invocationLeftMs = context ? context.getRemainingTimeInMillis() - 15_000 : Infinity;
    const budgetMs = Math.min(settings.opensearchOutageBudgetMs ?? 0, invocationLeftMs);
    const deadline = Date.now() + budgetMs;
    let report = await writeAuditBatch(target(), messages);
    for (let delayMs = 1_000; ; delayMs = Math.min(delayMs * 2, 5_000)) {
      const transient = new Set(report.failures.filter((f) => !f.permanent).map((f) => f.id));
      if (transient.size === 0 || Date.now() + delayMs > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const retried = await writeAuditBatch(
        target(),
        messages.filter((m) => transient.has(m.id)),
      );
      report = merge(report, transient, retried);
    }
    for (const failure of report.failures) {
      logger.error(failure.permanent ? 'audit event can never be written' : 'audit event not written yet', {
        messageId: failure.id,
        reason: failure.reason,
      });
    }
    return { batchItemFailures: report.failures.map((failure) => ({ itemIdentifier: failure.id })) };
  };
}

/**
 * How long one batch keeps retrying while OpenSearch is unreachable (a restart, a blue/green change). A
 * message reported failed waits out the queue's visibility timeout (6 × the function timeout: minutes)
 * before its next try, so a 30 s outage would otherwise delay the audit trail by minutes. Within the
 * 60 s function timeout, with room for one bulk request.
 */
export const OPENSEARCH_OUTAGE_BUDGET_MS = 40_000;

/** The first report with the retried messages' outcomes in place of their transient failures. */
function merge(first: AuditBatchReport, retriedIds: Set<string>, retried: AuditBatchReport): AuditBatchReport {
  return {
    written: [...first.written, ...retried.written],
    duplicates: [...first.duplicates, ...retried.duplicates],
    failures: [...first.failures.filter((f) => !retriedIds.has(f.id)), ...retried.failures],
  };
}

/** PutEvents takes 1 to 10 entries (API reference). */
const PUT_EVENTS_ENTRIES = 10;

export interface AuditForwardTarget {
  readonly events: EventBridgeClient;
  /** This region's default bus: its rule carries the stage's audit events to the primary region's bus. */
  readonly eventBusName: string;
}

/**
 * Outside the primary region: the durable audit queue → this region's default bus, each event unchanged as the
 * detail (document ids are derived from it, so a second delivery is no duplicate in the history). An entry
 * EventBridge refuses is a batch item failure: retried by the queue, then kept in its dead-letter queue.
 */
export function createAuditForwarderHandler(target: () => AuditForwardTarget) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failed: string[] = [];
    for (let start = 0; start < event.Records.length; start += PUT_EVENTS_ENTRIES) {
      const records = event.Records.slice(start, start + PUT_EVENTS_ENTRIES);
      try {
        const { events, eventBusName } = target();
        const result = await events.send(
          new PutEventsCommand({
            Entries: records.map((record) => ({
              EventBusName: eventBusName,
              Source: AUDIT_FORWARDING.source,
              DetailType: AUDIT_FORWARDING.detailType,
              Detail: record.body,
            })),
          }),
        );
        // Entries come back in request order, each with an EventId or an ErrorCode.
        (result.Entries ?? []).forEach((entry, i) => {
          if (!entry.ErrorCode) return;
          logger.error('audit event not forwarded yet', {
            messageId: records[i].messageId,
            reason: `${entry.ErrorCode}: ${entry.ErrorMessage}`,
          });
          failed.push(records[i].messageId);
        });
      } catch (error) {
        logger.error('audit events not forwarded yet', { reason: (error as Error).message, count: records.length });
        failed.push(...records.map((record) => record.messageId));
      }
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

// The primary region's writer has the domain's URL; every other region's the bus to forward to (AuditPipeline).
export const handler = process.env.AUDIT_EVENT_BUS_NAME
  ? createAuditForwarderHandler(
      lazy(() => ({ events: new EventBridgeClient({}), eventBusName: requiredEnv('AUDIT_EVENT_BUS_NAME') })),
    )
  : createAuditWriterHandler(
      lazy(() => ({
        client: createAuditBulkClient(auditConnectionFromEnv(process.env, requiredEnv('FFC_OPENSEARCH_URL'))),
        stage: requiredEnv('STAGE'),
      })),
      { opensearchOutageBudgetMs: durationSettingMs('OPENSEARCH_OUTAGE_BUDGET_MS') ?? OPENSEARCH_OUTAGE_BUDGET_MS },
    );
