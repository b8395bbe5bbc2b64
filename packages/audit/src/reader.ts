import type { Client } from '@opensearch-project/opensearch';
import { fromAuditSource } from './audit-document';
import { AuditConfigurationError, AuditStoreUnavailableError } from './errors';
import { AuditRecord } from './event-types';
import { auditAlias } from './index-names';

/** The most events one history or timeline call returns. */
export const MAX_AUDIT_RESULTS = 10_000;

export interface AuditReaderOptions {
  readonly client: Pick<Client, 'search'>;
  readonly stage: string;
}

export interface AuditReader {
  /** The flag's events, newest first (at most `limit`, default 100). */
  history(flagKey: string, options?: { readonly limit?: number }): Promise<AuditRecord[]>;
  /** Every event of one change across regions, in the order they happened. */
  timeline(correlationId: string): Promise<AuditRecord[]>;
}

type SortValues = Array<string | number>;
type SearchHit = { _id: string; _source: Record<string, unknown>; sort: SortValues };

const PAGE_SIZE = 200;

export function createAuditReader(options: AuditReaderOptions): AuditReader {
  const alias = auditAlias(options.stage);

  async function page(field: string, value: string, order: 'asc' | 'desc', size: number, after?: SortValues) {
    const response = await options.client.search({
      index: alias,
      // A stage with no events yet has no partition, hence no alias: that is an empty history, not an error.
      ignore_unavailable: true,
      allow_no_indices: true,
      body: {
        query: { term: { [field]: value } },
        // The step breaks ties between events stamped in the same millisecond; the event id makes the order
        // total, which search_after needs (sorting on _id would load it into the heap).
        sort: [{ occurredAt: order }, { step: order }, { region: 'asc' }, { eventId: 'asc' }],
        size,
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      },
    });
    return response.body.hits.hits as unknown as SearchHit[];
  }

  /** Pages through results with search_after: a small page keeps OpenSearch's sort queue small. */
  async function search(field: string, value: string, order: 'asc' | 'desc', limit: number): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    try {
      for (let after: SortValues | undefined; records.length < limit;) {
        const size = Math.min(PAGE_SIZE, limit - records.length);
        const hits = await page(field, value, order, size, after);
        records.push(...hits.map((hit) => fromAuditSource(hit._id, hit._source)));
        if (hits.length < size) break;
        after = hits[hits.length - 1].sort;
      }
    } catch (error) {
      const { statusCode, message } = error as { statusCode?: number; message?: string };
      if (statusCode === undefined || statusCode >= 500) {
        throw new AuditStoreUnavailableError(`OpenSearch did not answer the audit query: ${message}`, 0);
      }
      throw error;
    }
    return records;
  }

  return {
    async history(flagKey, { limit = 100 } = {}) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_RESULTS) {
        throw new AuditConfigurationError(`history limit must be a whole number in 1..${MAX_AUDIT_RESULTS}`);
      }
      return search('flagKey', flagKey, 'desc', limit);
    },
    async timeline(correlationId) {
      return search('correlationId', correlationId, 'asc', MAX_AUDIT_RESULTS);
    },
  };
}
