import {
  AUDIT_EVENT_TYPES,
  InvalidAuditEventError,
  MAX_AUDIT_EVENT_BYTES,
  auditDocumentId,
  parseAuditEvent,
} from '../src';
import { auditEvent, everyEventType } from './support/events';

function problemsOf(input: unknown, stage?: string): string[] {
  try {
    parseAuditEvent(input, stage);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAuditEventError);
    return [...(error as InvalidAuditEventError).problems];
  }
  throw new Error('expected the event to be rejected');
}

describe('parseAuditEvent', () => {
  test.each(AUDIT_EVENT_TYPES)('accepts a complete %s event', (type) => {
    const event = auditEvent(type);
    expect(parseAuditEvent(event, 'pr-1')).toEqual(event);
  });

  test('normalises occurredAt to UTC', () => {
    const event = parseAuditEvent(auditEvent('change.verified', { occurredAt: '2025-03-04T12:00:00+02:00' }));
    expect(event.occurredAt).toBe('2025-03-04T10:00:00.000Z');
  });

  test('reports every problem at once, naming the field', () => {
    const problems = problemsOf({
      ...auditEvent('change.rejected'),
      stage: 'Prod',
      version: -1,
      occurredAt: 'yesterday',
      details: { ruleIds: [] },
    });
    expect(problems).toEqual([
      'stage must match ^[a-z][a-z0-9-]{1,19}$',
      'version must be a non-negative integer',
      'occurredAt must be an ISO 8601 timestamp with a time zone, e.g. 2025-01-31T12:00:00Z',
      'details.ruleIds must list at least one item',
    ]);
  });

  test("an operator's event in no one region is 'global'", () => {
    expect(parseAuditEvent({ ...auditEvent('change.verified'), region: 'global' }).region).toBe('global');
  });

  test('rejects an unknown type with the list of known ones', () => {
    expect(problemsOf({ ...auditEvent('change.verified'), type: 'change.deleted' })[0]).toMatch(
      /^type must be one of change\.requested, .*alert\.raised$/,
    );
  });

  test.each([
    ['a timestamp without a time zone', { occurredAt: '2025-03-04T10:00:00' }, /occurredAt must be/],
    ['an empty flag key', { flagKey: '' }, /flagKey must be a non-empty string/],
    ['a control character in the actor', { actor: 'a\u0007b' }, /actor must not contain control characters/],
    ['a correlation id with spaces', { correlationId: 'chg 1' }, /correlationId must match/],
    ['a region that is no region code', { region: 'region-a' }, /region must be an AWS region code/],
    ['a fractional version', { version: 1.5 }, /version must be a non-negative integer/],
    ['an unknown top-level field', { colour: 'red' }, /unknown fields colour/],
    ['a missing details object', { details: undefined }, /details must be an object/],
  ])('rejects %s', (_label, overrides, expected) => {
    expect(problemsOf({ ...auditEvent('change.verified'), ...overrides }).join('\n')).toMatch(expected);
  });

  test.each([
    ['change.applied', { appliedCount: 'many', expectedCount: 2, missingServices: [] }, /details.appliedCount must be/],
    ['change.published', {}, /details.targetServices is required for change.published/],
    ['change.published', { targetServices: ['a', 7] }, /details.targetServices \[1\] must be a non-empty string/],
    ['alert.raised', { severity: 'meh', message: 'x' }, /details.severity must be one of warning, critical/],
    ['change.verified', { verifiedServices: 1, extra: true }, /details has unknown fields extra/],
    [
      'change.inconsistent',
      { differences: [{ service: 'basket', expectedVersion: 7 }] },
      /details.differences \[0\] service, expectedVersion and observedVersion/,
    ],
  ])('rejects bad details of %s', (type, details, expected) => {
    expect(problemsOf({ ...auditEvent(type as 'change.verified'), details }).join('\n')).toMatch(expected);
  });

  test('rejects an event of another stage when the stage is given', () => {
    expect(problemsOf(auditEvent('change.verified'), 'live')).toEqual([
      "stage 'pr-1' does not belong to the audit trail of stage 'live'",
    ]);
  });

  test('rejects an event larger than an SQS message, saying by how much', () => {
    const event = auditEvent('change.requested', {});
    const oversized = { ...event, details: { value: 'x'.repeat(MAX_AUDIT_EVENT_BYTES) } };
    expect(problemsOf(oversized)[0]).toMatch(/^is \d+ bytes, over the 262144-byte limit/);
  });

  test('rejects things that are not objects', () => {
    expect(problemsOf('change.verified')).toEqual(['must be a JSON object']);
    expect(problemsOf(null)).toEqual(['must be a JSON object']);
  });
});

describe('auditDocumentId', () => {
  const event = auditEvent('change.applied');

  test('is the same for a replay, even one stamped again', () => {
    expect(auditDocumentId({ ...event, occurredAt: '2030-01-01T00:00:00Z' })).toBe(auditDocumentId(event));
  });

  test.each([
    ['region', { region: 'us-east-1' }],
    ['version', { version: 8 }],
    ['correlation id', { correlationId: 'chg-0002' }],
    ['idempotency key', { idempotencyKey: 'second-alert' }],
    ['stage', { stage: 'pr-2' }],
  ])('differs by %s', (_label, overrides) => {
    expect(auditDocumentId({ ...event, ...overrides } as typeof event)).not.toBe(auditDocumentId(event));
  });

  test('differs between the types of one chain', () => {
    expect(new Set(everyEventType().map(auditDocumentId)).size).toBe(AUDIT_EVENT_TYPES.length);
  });
});
