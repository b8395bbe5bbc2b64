import { AuditDocument } from './bulk-write';
import { auditDocumentId } from './document-id';
import { AUDIT_EVENT_TYPES, AuditEvent, AuditRecord } from './event-types';
import { auditPartitionIndex } from './index-names';

/**
 * The stored form of an event: its partition, the step number that orders same-time events, and its id as a
 * sortable field.
 */
export function toAuditDocument(event: AuditEvent, indexedAt: Date): AuditDocument {
  const id = auditDocumentId(event);
  const source = {
    ...event,
    eventId: id,
    step: AUDIT_EVENT_TYPES.indexOf(event.type),
    indexedAt: indexedAt.toISOString(),
  };
  return { id, index: auditPartitionIndex(event.stage, event.occurredAt), source };
}

/** Reads a stored document back into the event shape producers used. */
export function fromAuditSource(id: string, source: Record<string, unknown>): AuditRecord {
  const { step: _step, eventId: _eventId, ...record } = source;
  return { ...record, id } as AuditRecord;
}
