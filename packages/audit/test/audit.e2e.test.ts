import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AUDIT_EVENT_TYPES,
  AuditEvent,
  AuditStoreUnavailableError,
  InvalidAuditEventError,
  MAX_AUDIT_EVENT_BYTES,
  auditAlias,
  auditDocumentId,
  auditPartitionIndex,
  bulkWriteDocuments,
  createAuditClient,
  createAuditReader,
  createAuditWriter,
  createFileSpool,
  installAuditIndex,
} from '../src';
import { auditEvent, everyEventType } from './support/events';
import { localOpenSearch, removeStages } from './support/opensearch';

const { client, uniqueStage } = localOpenSearch();
const stage = uniqueStage();
const neighbourStage = `${stage}-1`;
let spoolDirectory: string;

beforeAll(async () => {
  spoolDirectory = await fs.mkdtemp(path.join(os.tmpdir(), 'ffc-audit-e2e-'));
});
afterAll(async () => {
  await removeStages(client, [stage, neighbourStage]);
  await client.close();
  await fs.rm(spoolDirectory, { recursive: true, force: true });
});

function writerFor(forStage: string, name: string) {
  const buffer = createFileSpool({ directory: path.join(spoolDirectory, name) });
  return { buffer, writer: createAuditWriter({ client, stage: forStage, buffer, retry: { refresh: true } }) };
}

/** What a reader returns for a recorded event. */
function stored(event: AuditEvent) {
  return { ...event, id: auditDocumentId(event), indexedAt: expect.any(String) };
}

describe('installAuditIndex', () => {
  test('installs the template and reports that this cluster cannot enforce retention', async () => {
    const installation = await installAuditIndex({ client, stage, production: false, retentionDays: 3 });
    expect(installation).toMatchObject({
      alias: auditAlias(stage),
      retentionDays: 3,
      retention: { status: 'unavailable', reason: expect.stringMatching(/ISM plugin .* is not installed/) },
    });
    const policy = (installation.retention as { policy: any }).policy;
    expect(policy.policy.states[0].transitions[0].conditions.min_index_age).toBe('34d');

    const templates = await client.indices.getIndexTemplate({ name: installation.templateName });
    const template = templates.body.index_templates[0].index_template.template as any;
    expect(template.mappings.dynamic).toBe('strict');
    expect(template.mappings.properties.correlationId.type).toBe('keyword');
    expect(template.aliases).toHaveProperty(auditAlias(stage));
  });

  test('is idempotent: installing again over a stage with events keeps the template and every event', async () => {
    const options = { client, stage, production: false, retentionDays: 3 };
    const first = await installAuditIndex(options);
    const { writer } = writerFor(stage, 'reinstall');
    const event = auditEvent('change.requested', { stage, correlationId: 'chg-reinstall', flagKey: 'reinstall-flag' });
    await writer.record(event);
    await writer.flush();
    const template = async () => (await client.indices.getIndexTemplate({ name: first.templateName })).body;
    const before = await template();

    await expect(installAuditIndex(options)).resolves.toEqual(first);
    expect(await template()).toEqual(before);
    expect(await createAuditReader({ client, stage }).timeline('chg-reinstall')).toEqual([stored(event)]);
  });
});

describe('writer and reader against OpenSearch', () => {
  const chain = [
    ...everyEventType({ stage, correlationId: 'chg-a', region: 'eu-west-1' }),
    ...everyEventType({ stage, correlationId: 'chg-a', region: 'us-east-1', occurredAt: '2025-03-04T10:00:00.500Z' }),
  ];
  const reader = () => createAuditReader({ client, stage });

  beforeAll(async () => {
    await installAuditIndex({ client, stage, production: false });
    const { writer } = writerFor(stage, 'roundtrip');
    await writer.record(chain);
    await expect(writer.flush()).resolves.toEqual({ written: chain.length, duplicates: 0, deadLettered: [] });
  });

  test('every event type round-trips, and the timeline is the ordered chain across regions', async () => {
    const timeline = await reader().timeline('chg-a');
    const expected = [...chain].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    expect(timeline).toEqual(expected.map(stored));
    expect(new Set(timeline.map((e) => e.type))).toEqual(new Set(AUDIT_EVENT_TYPES));
  });

  test('history is newest first, and limited', async () => {
    const { writer } = writerFor(stage, 'history');
    const later = auditEvent('change.requested', { stage, correlationId: 'chg-b', occurredAt: '2025-04-01T00:00:00Z' });
    await writer.record(later);
    await writer.flush();
    const history = await reader().history('checkout-v2', { limit: 3 });
    expect(history.map((e) => [e.correlationId, e.type, e.region])).toEqual([
      ['chg-b', 'change.requested', 'eu-west-1'],
      // The support chain ends with the archive (test/support/events.ts lists it last).
      ['chg-a', 'flag.archived', 'us-east-1'],
      ['chg-a', 'flag.archived', 'eu-west-1'],
    ]);
  });

  test('events are stored in the monthly partition of their own timestamp', async () => {
    const exists = await client.indices.exists({ index: auditPartitionIndex(stage, '2025-04-01T00:00:00Z') });
    expect(exists.body).toBe(true);
  });

  test('a replay never duplicates: the same events again are reported as duplicates', async () => {
    const { writer } = writerFor(stage, 'replay');
    await writer.record(chain);
    await writer.record(chain.slice(0, 3));
    await expect(writer.flush()).resolves.toEqual({ written: 0, duplicates: chain.length + 3, deadLettered: [] });
    expect(await reader().timeline('chg-a')).toHaveLength(chain.length);
  });

  test('a bad event is refused at record time with every reason, and nothing is buffered', async () => {
    const { writer, buffer } = writerFor(stage, 'bad');
    const bad = { ...auditEvent('change.rejected', { stage }), details: { ruleIds: [] } } as AuditEvent;
    const huge = auditEvent('change.requested', { stage, correlationId: 'chg-huge' });
    const oversized = { ...huge, details: { value: 'x'.repeat(MAX_AUDIT_EVENT_BYTES) } } as AuditEvent;
    await expect(writer.record([auditEvent('change.verified', { stage }), bad, oversized])).rejects.toThrow(
      InvalidAuditEventError,
    );
    await expect(writer.record([bad, oversized])).rejects.toThrow(
      /event 0: .*details\.ruleIds must list at least one item.*event 1: .*over the 262144-byte limit/,
    );
    expect(await buffer.depth()).toBe(0);
  });

  test('a malformed buffered message is dead-lettered with its reason, the rest is written', async () => {
    const { writer, buffer } = writerFor(stage, 'malformed');
    const good = auditEvent('change.verified', { stage, correlationId: 'chg-c' });
    await buffer.enqueue(['{"type":"change.verified",', JSON.stringify(good)]);
    const report = await writer.flush();
    expect(report.written).toBe(1);
    expect(report.deadLettered).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^malformed JSON/) }),
    ]);
    expect(await buffer.deadLetters()).toEqual([expect.objectContaining({ body: '{"type":"change.verified",' })]);
    expect(await reader().timeline('chg-c')).toEqual([stored(good)]);
  });

  test('mapping conflicts from an outdated producer are reported, not dropped', async () => {
    const index = auditPartitionIndex(stage, '2025-03-04T10:00:00Z');
    const valid = { ...auditEvent('change.verified', { stage }), step: 4, indexedAt: new Date().toISOString() };
    const outcomes = await bulkWriteDocuments(client, [
      { id: 'conflict-1', index, source: { ...valid, priority: 'high' } },
      { id: 'conflict-2', index, source: { ...valid, version: 'seven' } },
    ]);
    expect(outcomes).toEqual([
      {
        status: 'failed',
        permanent: true,
        reason: expect.stringMatching(/^mapping conflict \(strict_dynamic_mapping/),
      },
      {
        status: 'failed',
        permanent: true,
        reason: expect.stringMatching(/^mapping conflict \(mapper_parsing_exception/),
      },
    ]);
  });

  test('a stage sees only its own events, even a stage whose name extends it', async () => {
    await installAuditIndex({ client, stage: neighbourStage, production: false });
    const { writer } = writerFor(neighbourStage, 'neighbour');
    await writer.record(everyEventType({ stage: neighbourStage, correlationId: 'chg-a' }));
    await writer.flush();
    expect(await createAuditReader({ client, stage: neighbourStage }).timeline('chg-a')).toHaveLength(
      AUDIT_EVENT_TYPES.length,
    );
    expect(await reader().timeline('chg-a')).toHaveLength(chain.length);
  });

  test('a timeline longer than one page comes back whole, even when every event has the same timestamp', async () => {
    const { writer } = writerFor(stage, 'paging');
    const alerts = Array.from({ length: 450 }, (_, i) =>
      auditEvent('alert.raised', { stage, correlationId: 'chg-many', idempotencyKey: `alert-${i}` }),
    );
    await writer.record(alerts);
    await writer.flush();
    const timeline = await reader().timeline('chg-many');
    expect(new Set(timeline.map((e) => e.id))).toEqual(new Set(alerts.map(auditDocumentId)));
    expect(timeline).toHaveLength(450);
  });

  test('a stage with no events has an empty history', async () => {
    await expect(createAuditReader({ client, stage: uniqueStage() }).history('checkout-v2')).resolves.toEqual([]);
  });

  test('an unreachable OpenSearch is a clear error for queries', async () => {
    const unreachable = createAuditClient({ kind: 'http', node: 'http://127.0.0.1:1' });
    await expect(createAuditReader({ client: unreachable, stage }).timeline('chg-a')).rejects.toThrow(
      AuditStoreUnavailableError,
    );
    await unreachable.close();
  });
});
