/**
 * Every audit event type, in the order the steps of one change happen: the position is the tie-breaker
 * when two events of a timeline carry the same timestamp.
 */
export const AUDIT_EVENT_TYPES = [
  'change.requested',
  'change.rejected',
  'change.published',
  'change.applied',
  'change.verified',
  'change.inconsistent',
  'rollback.started',
  'rollback.completed',
  'rollback.failed',
  // Late in the list, not after change.published: a position is stored with every event (its `step`).
  'flag.archived',
  'alert.raised',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** One service whose cache disagreed with the expected version. */
export interface AuditDifference {
  readonly service: string;
  readonly expectedVersion: number;
  /** `null` when the service has no entry at all. */
  readonly observedVersion: number | null;
}

/** The type-specific part of each event. */
export interface AuditEventDetails {
  readonly 'change.requested': {
    readonly previousVersion?: number;
    /** The requested flag value; stored, never indexed. */
    readonly value?: unknown;
    readonly reason?: string;
  };
  readonly 'change.rejected': { readonly ruleIds: readonly string[]; readonly messages?: readonly string[] };
  readonly 'change.published': { readonly targetServices: readonly string[] };
  /** A region handed the archive's tombstone to its fan-out (it plays change.published's part for an archive). */
  readonly 'flag.archived': {
    readonly archivedVersion: number;
    readonly reason: string;
    readonly targetServices: readonly string[];
  };
  readonly 'change.applied': {
    readonly appliedCount: number;
    readonly expectedCount: number;
    readonly missingServices: readonly string[];
  };
  readonly 'change.verified': { readonly verifiedServices: number };
  readonly 'change.inconsistent': { readonly differences: readonly AuditDifference[] };
  readonly 'rollback.started': { readonly fromVersion: number; readonly toVersion: number; readonly reason: string };
  readonly 'rollback.completed': { readonly fromVersion: number; readonly toVersion: number };
  readonly 'rollback.failed': { readonly fromVersion: number; readonly toVersion: number; readonly error: string };
  readonly 'alert.raised': { readonly severity: 'warning' | 'critical'; readonly message: string };
}

/** Fields every event carries. */
export interface AuditEventCommon {
  readonly stage: string;
  /** The region the step happened in (a producer may use a fixed name such as `global` for region-less steps). */
  readonly region: string;
  readonly flagKey: string;
  /** The flag version the event is about. */
  readonly version: number;
  /** Who or what caused the step: an operator, CI, or a function name. */
  readonly actor: string;
  /** ISO 8601 with a time zone; stored normalised to UTC. */
  readonly occurredAt: string;
  /** Links every event of one change, across regions. */
  readonly correlationId: string;
  /**
   * Distinguishes two events of the same type, correlation, region and version (for example two alerts);
   * omit it when there is only ever one. It is part of the document id, so a replay must reuse it.
   */
  readonly idempotencyKey?: string;
}

export type AuditEventOf<T extends AuditEventType> = AuditEventCommon & {
  readonly type: T;
  readonly details: AuditEventDetails[T];
};

/** An audit event as producers record it. */
export type AuditEvent = { [T in AuditEventType]: AuditEventOf<T> }[AuditEventType];

/** An audit event as read back from OpenSearch. */
export type AuditRecord = AuditEvent & {
  /** The deterministic document id. */
  readonly id: string;
  /** When the event reached OpenSearch (first write wins on replay). */
  readonly indexedAt: string;
};
