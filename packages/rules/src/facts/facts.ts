import { ValidationContext } from '../context';
import { compareWithCurrent } from './comparison';
import { measurePrerequisites } from './prerequisites';
import { measureScope } from './scope';
import { measureTargeting } from './targeting';
import { measureHistory, measureTime, parseInstant } from './time';
import { kindOf, measureValue } from './value-shape';
import { FlagChange } from '../model/flag-change';

/** Everything the rules look at, measured once per change. */
export type Facts = ReturnType<typeof deriveFacts>;

/**
 * Measures a change in its context. Facts are neutral measurements (sizes, counts, lists); the
 * thresholds and formats live in the rules, so a reviewer reads the policy in one place.
 */
export function deriveFacts(change: FlagChange, context: ValidationContext) {
  const { value, rollout, tags = [] } = change;
  const changedAt = parseInstant(change.changedAt);
  const valueJson = JSON.stringify(value);
  const valueBytes = Buffer.byteLength(valueJson);
  const percentage = rollout ? rollout.percentage : null;
  return {
    flagKey: change.flagKey,
    flagKeyLength: change.flagKey.length,
    stage: change.stage,
    policyStage: context.policy.stage,
    stageMatchesPolicy: change.stage === context.policy.stage,
    production: context.policy.production,
    type: change.type,
    kind: change.kind,
    value,
    valueKind: kindOf(value),
    valueNumber: typeof value === 'number' ? value : null,
    valueMagnitude: typeof value === 'number' ? Math.abs(value) : null,
    valueString: typeof value === 'string' ? value : null,
    valueStringLength: typeof value === 'string' ? value.length : null,
    valueIsEmptyContainer: valueJson === '{}' || valueJson === '[]',
    valueBytes,
    documentBytes: Buffer.byteLength(JSON.stringify({ ...change, value: null })) - 4 + valueBytes,
    ...measureValue(value),
    rolloutPercentage: percentage,
    rolloutDecimalPlaces: percentage === null ? null : decimalPlaces(percentage),
    rolloutBucketBy: rollout?.bucketBy ?? null,
    ...(change.targeting?.length ? measureTargeting(change.targeting) : NO_TARGETING),
    ...measureScope(change, context.catalogue),
    owner: change.owner,
    description: change.description,
    descriptionLength: change.description.trim().length,
    descriptionRepeatsKey: normalise(change.description) === normalise(change.flagKey),
    reason: change.reason,
    reasonLength: change.reason.trim().length,
    reasonRepeatsDescription: change.reason.trim() !== '' && change.reason.trim() === change.description.trim(),
    emergency: change.reason.startsWith('EMERGENCY:'),
    metadataText: `${change.description}\n${change.reason}\n${change.ticket ?? ''}`,
    changedBy: change.changedBy,
    changedByIsAutomation: /^(svc|bot|ci)-/.test(change.changedBy),
    ticket: change.ticket ?? null,
    hasTicket: change.ticket !== undefined && change.ticket.trim() !== '',
    tags,
    tagCount: tags.length,
    duplicateTagCount: tags.length - new Set(tags).size,
    killSwitch: tags.includes('kill-switch'),
    temporary: change.temporary ?? null,
    expiresAt: change.expiresAt ?? null,
    version: change.version,
    versionIsPositiveInteger: Number.isSafeInteger(change.version) && change.version >= 1,
    changedAt: change.changedAt,
    ...measureTime(changedAt, context.now, context.policy, change.expiresAt),
    ...measureHistory(context.history, changedAt, change.changedBy),
    ...(change.prerequisites?.length ? measurePrerequisites(change, context.prerequisites) : NO_PREREQUISITES),
    ...compareWithCurrent(change, context.current, changedAt),
  };
}

// Most changes have neither: measuring nothing once saves a few dozen allocations per change.
const NO_TARGETING = Object.freeze(measureTargeting([]));
const NO_PREREQUISITES = Object.freeze(
  measurePrerequisites({ flagKey: '', prerequisites: [] } as unknown as FlagChange, new Map()),
);

function decimalPlaces(n: number): number {
  const text = String(n);
  if (text.includes('e')) return 20;
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
