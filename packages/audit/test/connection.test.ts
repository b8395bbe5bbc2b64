import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { AuditConfigurationError, auditConnectionFromEnv, createAuditClient } from '../src';

/** A stand-in cluster that records request headers and answers every search with no hits. */
async function recordingServer() {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    headers.push(request.headers);
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ hits: { hits: [] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, headers, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('createAuditClient', () => {
  test('signs requests with SigV4 for Amazon OpenSearch Service', async () => {
    const server = await recordingServer();
    const client = createAuditClient({
      kind: 'aws-sigv4',
      node: server.url,
      region: 'eu-west-1',
      getCredentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
    });
    await client.search({ index: 'ffc-audit-x', body: { query: { match_all: {} } } });
    await client.close();
    await server.close();
    expect(server.headers[0].authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=.*host.*x-amz-date.*, Signature=[0-9a-f]{64}$/,
    );
    expect(server.headers[0]['x-amz-security-token']).toBe('token');
  });

  test('uses plain HTTP with optional basic auth for the local engine', async () => {
    const server = await recordingServer();
    const client = createAuditClient({ kind: 'http', node: server.url, basicAuth: { username: 'u', password: 'p' } });
    await client.search({ index: 'ffc-audit-x' });
    await client.close();
    await server.close();
    expect(server.headers[0].authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  test('refuses a node that is not a URL', () => {
    expect(() => createAuditClient({ kind: 'http', node: '127.0.0.1:9211' })).toThrow(AuditConfigurationError);
  });
});

describe('auditConnectionFromEnv', () => {
  test('is plain HTTP unless a SigV4 region is configured', () => {
    expect(auditConnectionFromEnv({}, 'http://127.0.0.1:9211')).toEqual({
      kind: 'http',
      node: 'http://127.0.0.1:9211',
    });
    expect(
      auditConnectionFromEnv(
        { FFC_OPENSEARCH_URL: 'https://search-audit.example.com', FFC_OPENSEARCH_SIGV4_REGION: 'eu-west-1' },
        'http://127.0.0.1:9211',
      ),
    ).toEqual({ kind: 'aws-sigv4', node: 'https://search-audit.example.com', region: 'eu-west-1' });
  });
});
