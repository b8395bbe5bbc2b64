import { EventEmitter } from 'node:events';
// The package entry's Client loads every API namespace (~200 KB of a minified bundle) at require time; a writer
// sends `_bulk` only, so it is built from the transport layer the Client itself is made of.
import Connection from '@opensearch-project/opensearch/lib/Connection.js';
import { ConnectionPool } from '@opensearch-project/opensearch/lib/pool/index.js';
import Serializer from '@opensearch-project/opensearch/lib/Serializer.js';
import Transport from '@opensearch-project/opensearch/lib/Transport.js';
import type { BulkClient } from './bulk-write';
import { AuditClientOptions, AuditConnection, auditClientOptions } from './connection';

/**
 * A client that can only write `_bulk` requests — what the audit writer Lambda needs, at a fifth of the full
 * client's bundle weight. It sends them the way the full client does (same transport, signing and retries).
 */
export function createAuditBulkClient(connection: AuditConnection, options: AuditClientOptions = {}): BulkClient {
  const settings = auditClientOptions(connection, options);
  const events = new EventEmitter();
  const emit = events.emit.bind(events);
  const connectionPool = new ConnectionPool({
    Connection: settings.Connection ?? Connection,
    auth: settings.auth,
    emit,
  });
  connectionPool.addConnection(settings.node);
  const transport = new (settings.Transport ?? Transport)({
    emit,
    connectionPool,
    serializer: new Serializer(),
    // The full client's defaults (lib/Client.js), so both clients behave alike: no sniffing, no compression.
    maxRetries: 3,
    requestTimeout: settings.requestTimeout,
    sniffEndpoint: '_nodes/_all/http',
    name: 'opensearch-js',
  });
  return {
    bulk: ({ body, index, ...querystring }, requestOptions) =>
      transport.request(
        { method: 'POST', path: index ? `/${encodeURIComponent(index)}/_bulk` : '/_bulk', querystring, bulkBody: body },
        requestOptions,
      ),
  };
}
