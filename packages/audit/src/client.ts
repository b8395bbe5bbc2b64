import { Client } from '@opensearch-project/opensearch';
import { AuditClientOptions, AuditConnection, auditClientOptions } from './connection';

/** The full client (every API); a process that only writes takes `createAuditBulkClient`. */
export function createAuditClient(connection: AuditConnection, options: AuditClientOptions = {}): Client {
  return new Client(auditClientOptions(connection, options));
}
