import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LatencySummary, ensureEngines, measure, reportBenchmark, summarise } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';
import {
  AUDIT_EVENT_TYPES,
  AuditEvent,
  AuditEventDetails,
  AuditEventType,
  auditAlias,
  auditIndexPattern,
  auditTemplateName,
  createAuditReader,
  createAuditWriter,
  createFileSpool,
  installAuditIndex,
  toAuditDocument,
} from '../src';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 2000);
const RECORD_BATCH = 1000;
const BASELINE_EVENTS = 1000;
const QUERIES = 500;
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1'];

const DETAILS: { [T in AuditEventType]: AuditEventDetails[T] } = {
  'change.requested': { previousVersion: 1, value: { enabled: true }, reason: 'benchmark' },
  'change.rejected': { ruleIds: ['FFC-R1'] },
  'change.published': { targetServices: ['checkout', 'basket', 'search'] },
  'change.applied': { appliedCount: 3, expectedCount: 3, missingServices: [] },
  'change.verified': { verifiedServices: 3 },
  'change.inconsistent': { differences: [{ service: 'basket', expectedVersion: 2, observedVersion: 1 }] },
  'rollback.started': { fromVersion: 2, toVersion: 1, reason: 'benchmark' },
  'rollback.completed': { fromVersion: 2, toVersion: 1 },
  'rollback.failed': { fromVersion: 2, toVersion: 1, error: 'benchmark' },
  'alert.raised': { severity: 'warning', message: 'benchmark' },
};

/** One chain of ten events (one per type) per change, spread over regions and flags. */
function chainOf(stage: string, change: number, start: number): AuditEvent[] {
  return AUDIT_EVENT_TYPES.map(
    (type, i) =>
      ({
        type,
        stage,
        region: REGIONS[i % REGIONS.length],
        flagKey: `flag-${change % 200}`,
        version: change,
        actor: 'bench',
        occurredAt: new Date(start + change * 1000 + i * 10).toISOString(),
        correlationId: `chg-${change}`,
        details: DETAILS[type],
      }) as AuditEvent,
  );
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Ingest through the real path: validate, fsync'd spool, then bulk writes drained from it. */
async function ingest(client: Client, stage: string, events: AuditEvent[], directory: string) {
  const writer = createAuditWriter({ client, stage, buffer: createFileSpool({ directory }) });
  const recordSamples: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += RECORD_BATCH) {
    const batchStart = process.hrtime.bigint();
    await writer.record(events.slice(i, i + RECORD_BATCH));
    recordSamples.push(Number(process.hrtime.bigint() - batchStart) / 1e6);
  }
  const recordSeconds = seconds(started);
  const flushStarted = process.hrtime.bigint();
  const report = await writer.flush();
  const flushSeconds = seconds(flushStarted);
  if (report.written !== events.length) throw new Error(`wrote ${report.written} of ${events.length} events`);
  return { recordSamples, recordSeconds, flushSeconds, totalSeconds: seconds(started) };
}

/** The baseline: one index request per event, as a naive writer would do. */
async function indexOneByOne(client: Client, events: AuditEvent[]): Promise<{ samples: LatencySummary; rate: number }> {
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  for (const event of events) {
    const doc = toAuditDocument(event, new Date());
    const t = process.hrtime.bigint();
    await client.index({ index: doc.index, id: doc.id, body: doc.source });
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { samples: summarise(samples), rate: events.length / seconds(started) };
}

async function main(): Promise<void> {
  const { opensearchUrl } = ensureEngines(['opensearch']);
  const client = new Client({ node: opensearchUrl });
  const stage = `bench${randomBytes(3).toString('hex')}`;
  const baselineStage = `${stage}-base`;
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'ffc-audit-bench-'));
  try {
    for (const s of [stage, baselineStage]) await installAuditIndex({ client, stage: s, production: false });
    const start = Date.parse('2025-03-01T00:00:00Z');
    const events = Array.from({ length: CHANGES }, (_, change) => chainOf(stage, change, start)).flat();

    const baseline = await indexOneByOne(
      client,
      Array.from({ length: BASELINE_EVENTS / 10 }, (_, change) => chainOf(baselineStage, change, start)).flat(),
    );
    const bulk = await ingest(client, stage, events, directory);
    await client.indices.refresh({ index: auditAlias(stage) });

    const reader = createAuditReader({ client, stage });
    const randomChange = () => Math.floor(Math.random() * CHANGES);
    const timeline = await measure(QUERIES, async () => {
      const chain = await reader.timeline(`chg-${randomChange()}`);
      if (chain.length !== AUDIT_EVENT_TYPES.length) throw new Error(`timeline returned ${chain.length} events`);
    });
    const history = await measure(QUERIES, () => reader.history(`flag-${randomChange() % 200}`, { limit: 100 }));

    const eventsPerSecond = events.length / bulk.totalSeconds;
    reportBenchmark(
      `audit: ${events.length} events ingested (spool + bulk), ${QUERIES} queries each, baseline ${BASELINE_EVENTS} single-document writes`,
      {
        [`record ${RECORD_BATCH} events (validate + fsync)`]: summarise(bulk.recordSamples),
        'baseline: index one document': baseline.samples,
        'timeline(correlationId)': timeline,
        'history(flagKey, limit 100)': history,
      },
      {
        events: events.length,
        events_per_s: Math.round(eventsPerSecond),
        record_events_per_s: Math.round(events.length / bulk.recordSeconds),
        bulk_flush_events_per_s: Math.round(events.length / bulk.flushSeconds),
        baseline_events_per_s: Math.round(baseline.rate),
        speedup_vs_baseline: Number((eventsPerSecond / baseline.rate).toFixed(1)),
        timeline_p50_ms: Number(timeline.p50.toFixed(2)),
        timeline_p99_ms: Number(timeline.p99.toFixed(2)),
        history_p99_ms: Number(history.p99.toFixed(2)),
      },
    );
  } finally {
    for (const s of [stage, baselineStage]) {
      await client.indices.delete({ index: auditIndexPattern(s), ignore_unavailable: true }).catch(() => undefined);
      await client.indices.deleteIndexTemplate({ name: auditTemplateName(s) }).catch(() => undefined);
    }
    await client.close();
    await fs.rm(directory, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
