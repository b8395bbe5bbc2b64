import { AuditEvent } from '@ffc/audit/events';

/** Where handlers hand audit events: a durable queue in AWS (see sqs-audit-sink), a recorder in tests. */
export interface AuditSink {
  record(events: readonly AuditEvent[]): Promise<void>;
}
