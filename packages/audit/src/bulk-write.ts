import type { API } from '@opensearch-project/opensearch';
import type { TransportRequestOptions } from '@opensearch-project/opensearch/lib/Transport.js';

/** One document to create: its deterministic id and the partition index it belongs to. */
export interface AuditDocument {
  readonly id: string;
  readonly index: string;
  readonly source: Record<string, unknown>;
}

/**
 * What became of one document. `duplicate` means OpenSearch already held that id (a replay). A permanent
 * failure (mapping conflict, oversized) will fail again however often it is retried; a transient one
 * (OpenSearch down, overloaded) is worth delivering later.
 */
export type WriteOutcome =
  | { readonly status: 'written' }
  | { readonly status: 'duplicate' }
  | { readonly status: 'failed'; readonly permanent: boolean; readonly reason: string };

export interface BulkRetryOptions {
  /** Bulk requests per batch before the rest is reported transient. @default 5 */
  readonly maxAttempts?: number;
  /** First back-off; it doubles per attempt, with jitter. @default 100 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** Bulk requests in flight at once. @default 2 */
  readonly concurrency?: number;
  /** Make the documents searchable before resolving (tests, CLI round trips). @default false */
  readonly refresh?: boolean;
}

/**
 * The only part of the client the writer needs, so a test can stand in for a misbehaving cluster: the full
 * `Client` (`createAuditClient`) is one, and so is the lighter `createAuditBulkClient`.
 */
export interface BulkClient {
  bulk(params: API.Bulk_Request, options?: TransportRequestOptions): Promise<API.Bulk_Response>;
}

type Failure = Extract<WriteOutcome, { status: 'failed' }>;

export function isTransientFailure(outcome: WriteOutcome | undefined): outcome is Failure {
  return outcome?.status === 'failed' && !outcome.permanent;
}

type ItemResult = { status: number; error?: { type?: string; reason?: string | null } };
type ErrorWithStatus = { statusCode?: number; message?: string };

const MAPPING_ERRORS = new Set([
  'mapper_parsing_exception',
  'strict_dynamic_mapping_exception',
  'document_parsing_exception',
  'illegal_argument_exception',
]);
const MAX_DOCUMENTS_PER_REQUEST = 1000;
const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;

function classifyItem(item: ItemResult): WriteOutcome | 'retry' {
  if (item.status === 200 || item.status === 201) return { status: 'written' };
  if (item.status === 409) return { status: 'duplicate' };
  if (item.status === 429 || item.status >= 500) return 'retry';
  const detail = `${item.error?.type ?? 'error'}: ${item.error?.reason ?? 'no reason given'}`;
  if (item.status === 413) return { status: 'failed', permanent: true, reason: `oversized document (${detail})` };
  if (MAPPING_ERRORS.has(item.error?.type ?? '')) {
    return { status: 'failed', permanent: true, reason: `mapping conflict (${detail})` };
  }
  return { status: 'failed', permanent: true, reason: `rejected with status ${item.status} (${detail})` };
}

function backoffMs(attempt: number, options: BulkRetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs ?? 5000, (options.baseDelayMs ?? 100) * 2 ** (attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits documents into requests OpenSearch (and Amazon OpenSearch Service's 10 MiB limit) accepts. */
function chunk(documents: readonly AuditDocument[]): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  documents.forEach((doc, i) => {
    const size = JSON.stringify(doc.source).length + 100;
    if (current.length > 0 && (current.length >= MAX_DOCUMENTS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** One bulk write: where to, what, the outcomes it fills in (one per document) and how it retries. */
interface BulkJob {
  readonly client: BulkClient;
  readonly documents: readonly AuditDocument[];
  readonly outcomes: WriteOutcome[];
  readonly options: BulkRetryOptions;
}

/**
 * Writes one request's worth of documents, retrying with exponential back-off: a request that fails as a
 * whole is retried whole; items that fail transiently are retried alone. A 413 for the whole request splits it.
 */
async function writeChunk(job: BulkJob, indexes: number[]): Promise<void> {
  const { client, documents, outcomes, options } = job;
  let pending = indexes;
  let lastReason = 'no attempt made';
  for (let attempt = 1; attempt <= (options.maxAttempts ?? 5) && pending.length > 0; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1, options));
    const body = pending.flatMap((i) => [
      { create: { _index: documents[i].index, _id: documents[i].id } },
      documents[i].source,
    ]);
    let items: ItemResult[];
    try {
      const response = await client.bulk({ body, refresh: options.refresh ?? false }, { maxRetries: 0 });
      items = response.body.items.map((item) => item.create as ItemResult);
    } catch (error) {
      const { statusCode, message } = error as ErrorWithStatus;
      if (statusCode === 413) return splitOversizedRequest(job, pending);
      // A request failing as a whole (connection refused, timeout, 5xx, expired credentials) says nothing
      // against the documents: they wait.
      lastReason = `OpenSearch unavailable: ${message ?? String(error)}`;
      continue;
    }
    const retry: number[] = [];
    items.forEach((item, position) => {
      const outcome = classifyItem(item);
      if (outcome === 'retry') {
        retry.push(pending[position]);
        lastReason = `OpenSearch overloaded: ${item.error?.type ?? item.status}`;
      } else {
        outcomes[pending[position]] = outcome;
      }
    });
    pending = retry;
  }
  for (const i of pending) outcomes[i] = { status: 'failed', permanent: false, reason: lastReason };
}

async function splitOversizedRequest(job: BulkJob, indexes: number[]): Promise<void> {
  if (indexes.length === 1) {
    job.outcomes[indexes[0]] = {
      status: 'failed',
      permanent: true,
      reason: 'oversized document (413 from OpenSearch)',
    };
    return;
  }
  const half = Math.ceil(indexes.length / 2);
  await writeChunk(job, indexes.slice(0, half));
  await writeChunk(job, indexes.slice(half));
}

/**
 * Creates the documents (never overwrites: an existing id is a duplicate, the first write wins) and returns
 * one outcome per document, in order. Requests run `concurrency` at a time so the client's work overlaps
 * OpenSearch's; once one gives up on OpenSearch, requests not yet started are not attempted.
 */
export async function bulkWriteDocuments(
  client: BulkClient,
  documents: readonly AuditDocument[],
  options: BulkRetryOptions = {},
): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array(documents.length);
  const job: BulkJob = { client, documents, outcomes, options };
  const chunks = chunk(documents);
  let gaveUp: Failure | undefined;
  const worker = async () => {
    for (let next = chunks.shift(); next && !gaveUp; next = chunks.shift()) {
      await writeChunk(job, next);
      gaveUp ??= next.map((i) => outcomes[i]).find(isTransientFailure);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  for (let i = 0; i < documents.length; i++) {
    outcomes[i] ??= { status: 'failed', permanent: false, reason: `not attempted: ${gaveUp?.reason}` };
  }
  return outcomes;
}
