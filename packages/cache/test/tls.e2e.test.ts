import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CacheUnavailableError,
  connectRedis,
  createFlagCache,
  createFlagReader,
  RedisClient,
  RedisConnectionSettings,
} from '../src';
import { booleanChange, eventually, randomStage, recordingLogger } from './support/fixtures';
import { makeTestCertificates, startThrowawayRedis, ThrowawayRedis } from './support/redis-server';

// ElastiCache in-transit encryption with an ACL user, reproduced by a TLS-only redis-server and a throwaway CA.
let server: ThrowawayRedis;
let certDir: string;
let settings: RedisConnectionSettings;
const clients: RedisClient[] = [];
const stage = randomStage();

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'ffc-cache-tls-'));
  const certs = makeTestCertificates(certDir);
  server = await startThrowawayRedis(
    [
      ...['--tls-cert-file', certs.certFile, '--tls-key-file', certs.keyFile, '--tls-ca-cert-file', certs.caFile],
      ...['--tls-auth-clients', 'no', '--requirepass', 'default-user-secret'],
      ...['--user', 'flag-writer', 'on', '>writer-secret', '~ffc:*', '&ffc:*', '+@all'],
    ],
    (port) => ['--port', '0', '--tls-port', String(port)],
  );
  settings = {
    url: `rediss://127.0.0.1:${server.port}`,
    username: 'flag-writer',
    password: 'writer-secret',
    tlsCa: readFileSync(certs.caFile, 'utf8'),
    maxRetriesPerRequest: 0,
    connectTimeoutMs: 2000,
  };
});

afterAll(async () => {
  clients.forEach((client) => client.disconnect());
  await server.dispose();
  rmSync(certDir, { recursive: true, force: true });
});

function connect(overrides: Partial<RedisConnectionSettings> = {}): RedisClient {
  const client = connectRedis({ ...settings, ...overrides });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

test('writes and reads over TLS as the ACL user; the reader gets pushes over TLS too', async () => {
  const redis = connect();
  const cache = createFlagCache({ redis, stage });
  await expect(cache.apply(booleanChange(1, 'tls-check'), ['checkout'])).resolves.toMatchObject({
    applied: ['checkout'],
  });
  const reader = createFlagReader({ redis, stage, service: 'checkout', region: 'r-1', logger: recordingLogger() });
  try {
    await reader.start();
    await cache.apply(booleanChange(2, 'tls-check'), ['checkout']);
    await eventually(() => (reader.get('tls-check')?.version === 2 ? true : undefined));
  } finally {
    await reader.close();
  }
});

test.each<[string, (port: number) => Partial<RedisConnectionSettings>, RegExp]>([
  ['a wrong password', () => ({ password: 'wrong' }), /WRONGPASS|invalid username-password/],
  ['no CA for the self-signed chain', () => ({ tlsCa: undefined }), /certificate/],
  ['plain redis:// against the TLS port', (port) => ({ url: `redis://127.0.0.1:${port}` }), /Redis could not apply/],
])('%s is refused with a clear error', async (_name, overrides, message) => {
  const cache = createFlagCache({ redis: connect(overrides(server.port)), stage });
  const attempt = cache.apply(booleanChange(1, 'refused'), ['checkout']);
  await expect(attempt).rejects.toThrow(CacheUnavailableError);
  await expect(attempt).rejects.toThrow(message);
});

test('the ACL user cannot touch keys outside its ffc:* namespace', async () => {
  await expect(connect().set('other-team:key', '1')).rejects.toThrow(/NOPERM/);
});
