import { isRegionCode, isStageName, STAGE_NAME_PATTERN } from '@ffc/identifiers';
import { ALERT_SEVERITIES, DETAIL_FIELDS, DetailFieldSpec } from './detail-fields';
import { InvalidAuditEventError } from './errors';
import { AUDIT_EVENT_TYPES, AuditEvent, AuditEventType } from './event-types';

/** The SQS message size limit (256 KiB): an event larger than this could not cross the durable queue. */
export const MAX_AUDIT_EVENT_BYTES = 256 * 1024;

const MAX_KEYWORD_LENGTH = 256;
const MAX_TEXT_LENGTH = 8192;
const MAX_LIST_ITEMS = 1000;
/** The region of an event that happens in none (an operator's write to the global table). */
export const GLOBAL_REGION = 'global';
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const COMMON_FIELDS = new Set([
  'type',
  'stage',
  'region',
  'flagKey',
  'version',
  'actor',
  'occurredAt',
  'correlationId',
  'idempotencyKey',
  'details',
]);

type Record_ = Record<string, unknown>;

function isObject(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keywordProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > MAX_KEYWORD_LENGTH) return `must be at most ${MAX_KEYWORD_LENGTH} characters`;
  if (CONTROL_CHARACTERS.test(value)) return 'must not contain control characters';
  return undefined;
}

function integerProblem(value: unknown): string | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'must be a non-negative integer';
}

function textProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  return value.length > MAX_TEXT_LENGTH ? `must be at most ${MAX_TEXT_LENGTH} characters` : undefined;
}

function listProblem(value: unknown, nonEmpty: boolean, itemProblem: (item: unknown) => string | undefined) {
  if (!Array.isArray(value)) return 'must be an array of strings';
  if (nonEmpty && value.length === 0) return 'must list at least one item';
  if (value.length > MAX_LIST_ITEMS) return `must list at most ${MAX_LIST_ITEMS} items`;
  const bad = value.findIndex((item) => itemProblem(item) !== undefined);
  return bad < 0 ? undefined : `[${bad}] ${itemProblem(value[bad])}`;
}

function differencesProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array of differences';
  if (value.length > MAX_LIST_ITEMS) return `must list at most ${MAX_LIST_ITEMS} items`;
  for (const [i, item] of value.entries()) {
    if (!isObject(item)) return `[${i}] must be an object { service, expectedVersion, observedVersion }`;
    const problem =
      keywordProblem(item.service) ??
      integerProblem(item.expectedVersion) ??
      (item.observedVersion === null ? undefined : integerProblem(item.observedVersion));
    if (problem) return `[${i}] service, expectedVersion and observedVersion (integer or null): ${problem}`;
    const extra = Object.keys(item).filter((k) => !['service', 'expectedVersion', 'observedVersion'].includes(k));
    if (extra.length > 0) return `[${i}] has unknown fields ${extra.join(', ')}`;
  }
  return undefined;
}

function detailProblem(spec: DetailFieldSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'keyword':
      return keywordProblem(value);
    case 'text':
      return textProblem(value);
    case 'count':
    case 'version':
      return integerProblem(value);
    case 'keywords':
      return listProblem(value, spec.nonEmpty === true, keywordProblem);
    case 'texts':
      return listProblem(value, spec.nonEmpty === true, textProblem);
    case 'severity':
      return (ALERT_SEVERITIES as readonly unknown[]).includes(value)
        ? undefined
        : `must be one of ${ALERT_SEVERITIES.join(', ')}`;
    case 'differences':
      return differencesProblem(value);
    case 'unindexed':
      return undefined;
  }
}

function occurredAtProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value) || Number.isNaN(Date.parse(value))) {
    return 'must be an ISO 8601 timestamp with a time zone, e.g. 2025-01-31T12:00:00Z';
  }
  return undefined;
}

function commonProblems(input: Record_, expectedStage: string | undefined): string[] {
  const problems: string[] = [];
  const check = (field: string, problem: string | undefined) => problem && problems.push(`${field} ${problem}`);
  if (!isStageName(input.stage)) {
    problems.push(`stage must match ${STAGE_NAME_PATTERN.source}`);
  } else if (expectedStage !== undefined && input.stage !== expectedStage) {
    problems.push(`stage '${input.stage}' does not belong to the audit trail of stage '${expectedStage}'`);
  }
  if (!isRegionCode(input.region) && input.region !== GLOBAL_REGION) {
    problems.push(`region must be an AWS region code such as 'eu-west-1', or '${GLOBAL_REGION}'`);
  }
  check('flagKey', keywordProblem(input.flagKey));
  check('version', integerProblem(input.version));
  check('actor', keywordProblem(input.actor));
  check('occurredAt', occurredAtProblem(input.occurredAt));
  if (typeof input.correlationId !== 'string' || !CORRELATION_ID_PATTERN.test(input.correlationId)) {
    problems.push(`correlationId must match ${CORRELATION_ID_PATTERN.source}`);
  }
  if (input.idempotencyKey !== undefined) check('idempotencyKey', keywordProblem(input.idempotencyKey));
  const unknown = Object.keys(input).filter((key) => !COMMON_FIELDS.has(key));
  if (unknown.length > 0) problems.push(`unknown fields ${unknown.join(', ')}`);
  return problems;
}

function detailsProblems(type: AuditEventType, details: unknown): string[] {
  if (!isObject(details)) return ['details must be an object'];
  const specs: Record<string, DetailFieldSpec> = DETAIL_FIELDS[type];
  const problems: string[] = [];
  for (const [field, spec] of Object.entries(specs)) {
    const value = details[field];
    if (value === undefined) {
      if (!spec.optional) problems.push(`details.${field} is required for ${type}`);
      continue;
    }
    const problem = detailProblem(spec, value);
    if (problem) problems.push(`details.${field} ${problem}`);
  }
  const unknown = Object.keys(details).filter((key) => !(key in specs));
  if (unknown.length > 0) problems.push(`details has unknown fields ${unknown.join(', ')} for ${type}`);
  return problems;
}

/**
 * Checks an event from any source (a producer, a queue message) and returns it with `occurredAt` in UTC.
 * Every problem is reported at once; `expectedStage` rejects events that belong to another stage's trail.
 */
export function parseAuditEvent(input: unknown, expectedStage?: string): AuditEvent {
  if (!isObject(input)) throw new InvalidAuditEventError(['must be a JSON object']);
  const type = input.type as AuditEventType;
  if (!AUDIT_EVENT_TYPES.includes(type)) {
    throw new InvalidAuditEventError([`type must be one of ${AUDIT_EVENT_TYPES.join(', ')}`]);
  }
  const problems = [...commonProblems(input, expectedStage), ...detailsProblems(type, input.details)];
  if (problems.length > 0) throw new InvalidAuditEventError(problems, `${type} event`);
  const event = { ...input, occurredAt: new Date(input.occurredAt as string).toISOString() } as AuditEvent;
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes > MAX_AUDIT_EVENT_BYTES) {
    throw new InvalidAuditEventError(
      [`is ${bytes} bytes, over the ${MAX_AUDIT_EVENT_BYTES}-byte limit of the durable queue: shorten details`],
      `${type} event`,
    );
  }
  return event;
}
