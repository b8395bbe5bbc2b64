import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { AuditConfigurationError, bulkWriteDocuments, createAuditBulkClient } from '../src';
import { localOpenSearch } from './support/opensearch';

/** A stand-in cluster that records each request and answers like a `_bulk` that created every item. */
async function recordingServer() {
  const requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (part: Buffer) => (body += part.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      const items = body
        .split('\n')
        .filter((line) => line.includes('"create"'))
        .map(() => ({ create: { status: 201 } }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ took: 1, errors: false, items }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

const document = (id: string, index: string) => ({ id, index, source: { message: `event ${id}` } });

describe('createAuditBulkClient', () => {
  test('sends one NDJSON `_bulk` request, SigV4-signed for Amazon OpenSearch Service', async () => {
    const server = await recordingServer();
    const client = createAuditBulkClient({
      kind: 'aws-sigv4',
      node: server.url,
      region: 'eu-west-1',
      getCredentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
    });
    const outcomes = await bulkWriteDocuments(client, [document('a', 'ffc-audit-x'), document('b', 'ffc-audit-x')]);
    await server.close();
    expect(outcomes).toEqual([{ status: 'written' }, { status: 'written' }]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(`${request.method} ${request.url}`).toBe('POST /_bulk?refresh=false');
    // The Bulk API takes newline-delimited JSON, ending in a newline:
    // https://docs.opensearch.org/latest/api-reference/document-apis/bulk/
    expect(request.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(request.body.split('\n')).toEqual([
      JSON.stringify({ create: { _index: 'ffc-audit-x', _id: 'a' } }),
      JSON.stringify({ message: 'event a' }),
      JSON.stringify({ create: { _index: 'ffc-audit-x', _id: 'b' } }),
      JSON.stringify({ message: 'event b' }),
      '',
    ]);
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=.*host.*x-amz-date.*, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers['x-amz-security-token']).toBe('token');
  });

  test('uses plain HTTP with optional basic auth for the local engine', async () => {
    const server = await recordingServer();
    const client = createAuditBulkClient({
      kind: 'http',
      node: server.url,
      basicAuth: { username: 'u', password: 'p' },
    });
    await bulkWriteDocuments(client, [document('a', 'ffc-audit-x')]);
    await server.close();
    expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  test('refuses a node that is not a URL, and SigV4 without a region', () => {
    expect(() => createAuditBulkClient({ kind: 'http', node: '127.0.0.1:9211' })).toThrow(AuditConfigurationError);
    expect(() => createAuditBulkClient({ kind: 'aws-sigv4', node: 'https://search.example.com', region: '' })).toThrow(
      /region/,
    );
  });

  test('writes to the real OpenSearch, and a replay of the same ids is a duplicate', async () => {
    const { url, client: fullClient, uniqueStage } = localOpenSearch();
    const index = `ffc-bulk-client-${uniqueStage()}`;
    const client = createAuditBulkClient({ kind: 'http', node: url });
    try {
      const documents = [document('a', index), document('b', index)];
      expect(await bulkWriteDocuments(client, documents, { refresh: true })).toEqual([
        { status: 'written' },
        { status: 'written' },
      ]);
      expect(await bulkWriteDocuments(client, documents, { refresh: true })).toEqual([
        { status: 'duplicate' },
        { status: 'duplicate' },
      ]);
      const stored = await fullClient.get({ index, id: 'b' });
      expect(stored.body._source).toEqual({ message: 'event b' });
    } finally {
      await fullClient.indices.delete({ index, ignore_unavailable: true });
      await fullClient.close();
    }
  });
});
