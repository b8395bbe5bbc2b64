import { AuditDocument, BulkClient, bulkWriteDocuments, writeAuditBatch } from '../src';
import { auditEvent } from './support/events';

type Item = { status: number; error?: { type: string; reason: string } };
type Body = Array<Record<string, any>>;

/** A cluster that answers each bulk request with the next scripted reply (items, or an error to throw). */
function scriptedCluster(replies: Array<(body: Body) => Item[]>) {
  const requests: Body[] = [];
  const client = {
    bulk: jest.fn(async ({ body }: { body: Body }) => {
      requests.push(body);
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
      return { body: { errors: true, took: 1, items: reply(body).map((create) => ({ create })) } };
    }),
  } as unknown as BulkClient;
  return { client, requests, ids: (i: number) => requests[i].filter((_, n) => n % 2 === 0).map((op) => op.create._id) };
}

const ok = (body: Body): Item[] => body.filter((_, n) => n % 2 === 0).map(() => ({ status: 201 }));
const down = (): never => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9211'), { name: 'ConnectionError' });
};
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

function documents(count: number): AuditDocument[] {
  return Array.from({ length: count }, (_, i) => ({ id: `doc-${i}`, index: 'ffc-audit-t.2025.01', source: { n: i } }));
}

describe('bulkWriteDocuments', () => {
  test('retries only the items that failed transiently', async () => {
    const cluster = scriptedCluster([() => [{ status: 201 }, { status: 429 }, { status: 503 }], ok]);
    const outcomes = await bulkWriteDocuments(cluster.client, documents(3), fast);
    expect(outcomes).toEqual([{ status: 'written' }, { status: 'written' }, { status: 'written' }]);
    expect(cluster.ids(1)).toEqual(['doc-1', 'doc-2']);
  });

  test('creates, never overwrites: an existing id is a duplicate', async () => {
    const cluster = scriptedCluster([
      () => [{ status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } }],
    ]);
    expect(await bulkWriteDocuments(cluster.client, documents(1), fast)).toEqual([{ status: 'duplicate' }]);
    expect(Object.keys(cluster.requests[0][0])).toEqual(['create']);
  });

  test('reports mapping conflicts and oversized documents as permanent, without retrying them', async () => {
    const cluster = scriptedCluster([
      () => [
        { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [version]' } },
        { status: 413, error: { type: 'too_long', reason: 'document too large' } },
        { status: 403, error: { type: 'cluster_block_exception', reason: 'read-only' } },
      ],
    ]);
    const outcomes = await bulkWriteDocuments(cluster.client, documents(3), fast);
    expect(outcomes).toEqual([
      {
        status: 'failed',
        permanent: true,
        reason: 'mapping conflict (mapper_parsing_exception: failed to parse field [version])',
      },
      { status: 'failed', permanent: true, reason: 'oversized document (too_long: document too large)' },
      { status: 'failed', permanent: true, reason: 'rejected with status 403 (cluster_block_exception: read-only)' },
    ]);
    expect(cluster.requests).toHaveLength(1);
  });

  test('retries a request that failed as a whole, backing off', async () => {
    const cluster = scriptedCluster([down, down, ok]);
    expect(await bulkWriteDocuments(cluster.client, documents(2), fast)).toEqual([
      { status: 'written' },
      { status: 'written' },
    ]);
    expect(cluster.requests).toHaveLength(3);
  });

  test('gives up after the last attempt, and does not start the remaining requests', async () => {
    const cluster = scriptedCluster([down]);
    const outcomes = await bulkWriteDocuments(cluster.client, documents(2500), { ...fast, maxAttempts: 3 });
    // Two requests in flight, three attempts each; the third request never starts.
    expect(cluster.requests).toHaveLength(6);
    expect(new Set(cluster.requests.map((body) => body[0].create._id))).toEqual(new Set(['doc-0', 'doc-1000']));
    expect(outcomes[0]).toEqual({
      status: 'failed',
      permanent: false,
      reason: 'OpenSearch unavailable: connect ECONNREFUSED 127.0.0.1:9211',
    });
    expect(outcomes[2499]).toMatchObject({ status: 'failed', permanent: false, reason: /^not attempted: / });
  });

  test('splits a request OpenSearch finds too large, down to the one document that is', async () => {
    const tooLarge = Object.assign(new Error('Request Entity Too Large'), { statusCode: 413 });
    const cluster = scriptedCluster([
      (body) => {
        if (body.some((op) => op.create?._id === 'doc-2') && body.length > 2) throw tooLarge;
        if (body[0].create._id === 'doc-2') throw tooLarge;
        return ok(body);
      },
    ]);
    const outcomes = await bulkWriteDocuments(cluster.client, documents(4), { ...fast, concurrency: 1 });
    expect(outcomes.map((o) => o.status)).toEqual(['written', 'written', 'failed', 'written']);
    expect(outcomes[2]).toEqual({
      status: 'failed',
      permanent: true,
      reason: 'oversized document (413 from OpenSearch)',
    });
  });

  test('sends at most 1000 documents per request', async () => {
    const cluster = scriptedCluster([ok]);
    await bulkWriteDocuments(cluster.client, documents(2500), fast);
    expect(cluster.requests.map((body) => body.length / 2).sort()).toEqual([1000, 1000, 500]);
  });
});

describe('writeAuditBatch', () => {
  test('reports malformed and invalid messages with their reasons, and writes the rest', async () => {
    const cluster = scriptedCluster([ok]);
    const report = await writeAuditBatch({ client: cluster.client, stage: 'pr-1', retry: fast }, [
      { id: 'm1', body: JSON.stringify(auditEvent('change.verified')) },
      { id: 'm2', body: '{"type": "change.verified", ' },
      { id: 'm3', body: JSON.stringify({ ...auditEvent('change.verified'), version: 'seven' }) },
      { id: 'm4', body: JSON.stringify(auditEvent('change.verified', { stage: 'pr-2' })) },
    ]);
    expect(report.written).toEqual(['m1']);
    expect(report.failures).toEqual([
      { id: 'm2', permanent: true, reason: expect.stringMatching(/^malformed JSON: /) },
      { id: 'm3', permanent: true, reason: 'change.verified event is invalid: version must be a non-negative integer' },
      {
        id: 'm4',
        permanent: true,
        reason: "change.verified event is invalid: stage 'pr-2' does not belong to the audit trail of stage 'pr-1'",
      },
    ]);
    expect(cluster.requests[0][0]).toEqual({
      create: { _index: 'ffc-audit-pr-1.2025.03', _id: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(cluster.requests[0][1]).toMatchObject({ step: 4, indexedAt: expect.any(String) });
  });

  test('a misconfigured stage refuses the batch instead of dead-lettering every event', async () => {
    const cluster = scriptedCluster([ok]);
    await expect(
      writeAuditBatch({ client: cluster.client, stage: 'Prod' }, [{ id: 'm1', body: '{}' }]),
    ).rejects.toThrow(/stage 'Prod' must match/);
  });
});
