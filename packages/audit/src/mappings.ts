import { DETAIL_FIELDS, DetailFieldKind } from './detail-fields';
import { AuditConfigurationError } from './errors';

type FieldMapping = Record<string, unknown>;

const KIND_MAPPINGS: Record<Exclude<DetailFieldKind, 'unindexed'>, FieldMapping> = {
  keyword: { type: 'keyword' },
  text: { type: 'text' },
  count: { type: 'integer' },
  version: { type: 'long' },
  keywords: { type: 'keyword' },
  texts: { type: 'text' },
  severity: { type: 'keyword' },
  differences: {
    type: 'object',
    dynamic: false,
    properties: {
      service: { type: 'keyword' },
      expectedVersion: { type: 'long' },
      observedVersion: { type: 'long' },
    },
  },
};

/** The details mapping, derived from the field table; a field name must mean the same kind in every type. */
export function detailsMappingProperties(): Record<string, FieldMapping> {
  const kinds = new Map<string, DetailFieldKind>();
  for (const [type, fields] of Object.entries(DETAIL_FIELDS)) {
    for (const [field, spec] of Object.entries(fields as Record<string, { kind: DetailFieldKind }>)) {
      const earlier = kinds.get(field);
      if (earlier && earlier !== spec.kind) {
        throw new AuditConfigurationError(`details.${field} is ${earlier} in one type and ${spec.kind} in ${type}`);
      }
      kinds.set(field, spec.kind);
    }
  }
  const properties: Record<string, FieldMapping> = {};
  for (const [field, kind] of kinds) {
    if (kind !== 'unindexed') properties[field] = KIND_MAPPINGS[kind];
  }
  return properties;
}

/**
 * Explicit mappings: unknown top-level fields are refused (`strict`), and details fields outside the table
 * are kept in `_source` but never indexed (`dynamic: false`), so no producer can grow the mapping.
 */
export function auditMappings(): Record<string, unknown> {
  return {
    dynamic: 'strict',
    properties: {
      eventId: { type: 'keyword' },
      type: { type: 'keyword' },
      step: { type: 'short' },
      stage: { type: 'keyword' },
      region: { type: 'keyword' },
      flagKey: { type: 'keyword' },
      version: { type: 'long' },
      actor: { type: 'keyword' },
      occurredAt: { type: 'date', format: 'strict_date_optional_time' },
      indexedAt: { type: 'date', format: 'strict_date_optional_time' },
      correlationId: { type: 'keyword' },
      idempotencyKey: { type: 'keyword' },
      details: { type: 'object', dynamic: false, properties: detailsMappingProperties() },
    },
  };
}
