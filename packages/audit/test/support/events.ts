import { AuditEvent, AuditEventDetails, AuditEventType } from '../../src';

const DETAILS: { [T in AuditEventType]: AuditEventDetails[T] } = {
  'change.requested': { previousVersion: 6, value: { enabled: true, percent: 25 }, reason: 'ramp up' },
  'change.rejected': { ruleIds: ['FFC-R12', 'FFC-R40'], messages: ['percent too large'] },
  'change.published': { targetServices: ['checkout', 'basket'] },
  'change.applied': { appliedCount: 1, expectedCount: 2, missingServices: ['basket'] },
  'change.verified': { verifiedServices: 2 },
  'change.inconsistent': { differences: [{ service: 'basket', expectedVersion: 7, observedVersion: null }] },
  'rollback.started': { fromVersion: 7, toVersion: 6, reason: 'basket did not apply' },
  'rollback.completed': { fromVersion: 7, toVersion: 6 },
  'rollback.failed': { fromVersion: 7, toVersion: 6, error: 'conditional check failed' },
  'alert.raised': { severity: 'critical', message: 'rollback failed for checkout-v2' },
  'flag.archived': { archivedVersion: 6, reason: 'experiment over', targetServices: ['checkout', 'basket'] },
};

/** One event of the given type, with everything a producer fills in. */
export function auditEvent<T extends AuditEventType>(
  type: T,
  overrides: Partial<Omit<AuditEvent, 'type' | 'details'>> = {},
): AuditEvent {
  return {
    type,
    stage: 'pr-1',
    region: 'eu-west-1',
    flagKey: 'checkout-v2',
    version: 7,
    actor: 'ci@example.com',
    occurredAt: '2025-03-04T10:00:00.000Z',
    correlationId: 'chg-0001',
    details: DETAILS[type],
    ...overrides,
  } as AuditEvent;
}

/** One event of every type, one second apart, in lifecycle order: the chain of one change. */
export function everyEventType(overrides: Partial<Omit<AuditEvent, 'type' | 'details'>> = {}): AuditEvent[] {
  const start = Date.parse(overrides.occurredAt ?? '2025-03-04T10:00:00.000Z');
  return (Object.keys(DETAILS) as AuditEventType[]).map((type, i) =>
    auditEvent(type, { ...overrides, occurredAt: new Date(start + i * 1000).toISOString() }),
  );
}
