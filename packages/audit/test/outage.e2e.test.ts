import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AuditEvent,
  AuditStoreUnavailableError,
  auditAlias,
  createAuditClient,
  createAuditWriter,
  createFileSpool,
  installAuditIndex,
} from '../src';
import { auditEvent } from './support/events';
import { localOpenSearch, removeStages } from './support/opensearch';
import { TcpProxy, startTcpProxy } from './support/tcp-proxy';

const { client, url, uniqueStage } = localOpenSearch();
const stage = uniqueStage('outage');
let spoolDirectory: string;
let proxy: TcpProxy;

beforeAll(async () => {
  spoolDirectory = await fs.mkdtemp(path.join(os.tmpdir(), 'ffc-audit-outage-'));
  proxy = await startTcpProxy(url);
  await installAuditIndex({ client, stage, production: false });
});
afterAll(async () => {
  await proxy.close();
  await removeStages(client, [stage]);
  await client.close();
  await fs.rm(spoolDirectory, { recursive: true, force: true });
});

/** A producer process: its own client (through the proxy), spool handle and writer. */
function startProcess() {
  const proxied = createAuditClient({ kind: 'http', node: proxy.url }, { requestTimeoutMs: 5000 });
  const buffer = createFileSpool({ directory: spoolDirectory });
  const writer = createAuditWriter({
    client: proxied,
    stage,
    buffer,
    batchSize: 100,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
  });
  return { proxied, buffer, writer };
}

function events(from: number, count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) =>
    auditEvent('change.applied', { stage, correlationId: `chg-${from + i}`, version: from + i }),
  );
}

test('OpenSearch going away mid-run loses nothing and duplicates nothing', async () => {
  const first = startProcess();
  await first.writer.record(events(0, 1000));

  // The third bulk request is written by OpenSearch but its response never arrives, then OpenSearch is gone.
  const cut = proxy.closeInsteadOfResponse(3);
  await expect(first.writer.flush()).rejects.toThrow(AuditStoreUnavailableError);
  await cut;

  // While it is down, producers keep recording and flushing fails without losing anything.
  await first.writer.record(events(1000, 200));
  await expect(first.writer.flush()).rejects.toThrow(/OpenSearch unavailable: .*wait in the buffer/);
  expect(await first.buffer.depth()).toBe(1200 - 200);
  await first.proxied.close();

  // A restarted process finds the spool and delivers the rest once OpenSearch is back.
  await proxy.open();
  const second = startProcess();
  const report = await second.writer.flush();
  expect(report).toEqual({ written: 900, duplicates: 100, deadLettered: [] });
  expect(await second.buffer.depth()).toBe(0);
  await second.proxied.close();

  await client.indices.refresh({ index: auditAlias(stage) });
  // Every event goes to one partition, where ids are unique: 1,200 documents means each event exactly once.
  const count = await client.count({ index: auditAlias(stage) });
  expect(count.body.count).toBe(1200);
});
