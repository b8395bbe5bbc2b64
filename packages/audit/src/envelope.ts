import { AuditEvent, AuditEventDetails, AuditEventType } from './event-types';
import { parseAuditEvent } from './validate-event';

/** What every event of one producer's step shares: who recorded what, where, about which change. */
export interface AuditEnvelope {
  readonly stage: string;
  /** A region code, or GLOBAL_REGION for a write to the global table that happens in no one region. */
  readonly region: string;
  readonly flagKey: string;
  readonly version: number;
  readonly actor: string;
  readonly correlationId: string;
  /** @default - now */
  readonly occurredAt?: string;
}

/**
 * The one place an audit event is assembled: the envelope, the type and its details, validated against the
 * audit contract (InvalidAuditEventError lists every problem), so no producer writes the envelope by hand.
 */
export function buildAuditEvent<T extends AuditEventType>(
  envelope: AuditEnvelope,
  type: T,
  details: AuditEventDetails[T],
  idempotencyKey?: string,
): AuditEvent {
  return parseAuditEvent(
    {
      ...envelope,
      occurredAt: envelope.occurredAt ?? new Date().toISOString(),
      type,
      details,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    },
    envelope.stage,
  );
}
