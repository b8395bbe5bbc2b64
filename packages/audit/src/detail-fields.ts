import { AuditEventDetails, AuditEventType } from './event-types';

/**
 * What a details field holds; one table drives both validation and the index mapping, so the two cannot
 * drift apart.
 */
export type DetailFieldKind =
  'keyword' | 'text' | 'count' | 'version' | 'keywords' | 'texts' | 'severity' | 'differences' | 'unindexed';

export interface DetailFieldSpec {
  readonly kind: DetailFieldKind;
  readonly optional?: boolean;
  /** For lists: at least one item. */
  readonly nonEmpty?: boolean;
}

export type DetailFieldSpecs = {
  readonly [T in AuditEventType]: { readonly [K in keyof AuditEventDetails[T]]-?: DetailFieldSpec };
};

export const DETAIL_FIELDS: DetailFieldSpecs = {
  'change.requested': {
    previousVersion: { kind: 'version', optional: true },
    value: { kind: 'unindexed', optional: true },
    reason: { kind: 'text', optional: true },
  },
  'change.rejected': {
    ruleIds: { kind: 'keywords', nonEmpty: true },
    messages: { kind: 'texts', optional: true },
  },
  'change.published': { targetServices: { kind: 'keywords' } },
  'flag.archived': {
    archivedVersion: { kind: 'version' },
    reason: { kind: 'text' },
    targetServices: { kind: 'keywords' },
  },
  'change.applied': {
    appliedCount: { kind: 'count' },
    expectedCount: { kind: 'count' },
    missingServices: { kind: 'keywords' },
  },
  'change.verified': { verifiedServices: { kind: 'count' } },
  'change.inconsistent': { differences: { kind: 'differences' } },
  'rollback.started': { fromVersion: { kind: 'version' }, toVersion: { kind: 'version' }, reason: { kind: 'text' } },
  'rollback.completed': { fromVersion: { kind: 'version' }, toVersion: { kind: 'version' } },
  'rollback.failed': { fromVersion: { kind: 'version' }, toVersion: { kind: 'version' }, error: { kind: 'text' } },
  'alert.raised': { severity: { kind: 'severity' }, message: { kind: 'text' } },
};

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
