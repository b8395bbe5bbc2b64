import { createHash } from 'node:crypto';
import { AuditEvent } from './event-types';

/**
 * The same event always gets the same id, so a replay (a queue redelivery, a retried bulk request whose
 * response was lost) finds the original instead of adding a copy. Timestamps are left out on purpose: a
 * producer that re-emits an event after a restart may stamp it again.
 */
export function auditDocumentId(event: AuditEvent): string {
  const identity = [
    event.type,
    event.stage,
    event.flagKey,
    event.correlationId,
    event.region,
    event.version,
    event.idempotencyKey ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
