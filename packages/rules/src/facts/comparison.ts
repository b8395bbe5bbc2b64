import { rolloutShare } from './exposure';
import { sameJson } from './prerequisites';
import { parseInstant } from './time';
import { isPlainObject, kindOf } from './value-shape';
import { FlagChange, JsonValue } from '../model/flag-change';

/** What this change does to the version it replaces. */
export function compareWithCurrent(change: FlagChange, current: FlagChange | undefined, now: number) {
  const valueChanged = current !== undefined && !sameJson(current.value, change.value);
  const currentExpiry = current?.temporary ? parseInstant(current.expiresAt) : null;
  const topLevel = compareTopLevelKeys(current?.value, change.value);
  const percentage = change.rollout ? change.rollout.percentage : null;
  const offValueChanged = current !== undefined && !sameJson(current.offValue, change.offValue);
  const targetingChanged = current !== undefined && !sameList(current.targeting, change.targeting);
  return {
    currentExists: current !== undefined,
    currentIsOtherFlag: current !== undefined && (current.flagKey !== change.flagKey || current.stage !== change.stage),
    currentVersion: current ? current.version : null,
    versionStep: current ? change.version - current.version : null,
    currentType: current ? current.type : null,
    typeChanged: current !== undefined && current.type !== change.type,
    currentOwner: current ? current.owner : null,
    ownerChanged: current !== undefined && current.owner !== change.owner,
    valueChanged,
    anythingChanged: current === undefined || valueChanged || !sameSubstance(current, change),
    effectiveRollout: rolloutShare(change),
    offValueChanged,
    // What is served, besides how many get it: a new flag, or another type, value, off value, targeting or prerequisites.
    contentChanged:
      current === undefined ||
      valueChanged ||
      offValueChanged ||
      targetingChanged ||
      current.type !== change.type ||
      !sameList(current.prerequisites, change.prerequisites),
    // Who is in the audience, besides the percentage: services, regions, targeting.
    audienceChanged:
      current !== undefined &&
      (targetingChanged ||
        !sameStrings(current.services, change.services) ||
        !sameStrings(current.regions, change.regions)),
    rolloutPartial: percentage !== null && percentage > 0 && percentage < 100,
    rolloutPercentageChanged:
      current !== undefined && (current.rollout ? current.rollout.percentage : null) !== percentage,
    constraintsChanged: current !== undefined && !sameJson(current.constraints, change.constraints),
    bucketByChanged:
      current?.rollout !== undefined &&
      change.rollout !== undefined &&
      (current.rollout.bucketBy ?? 'userId') !== (change.rollout.bucketBy ?? 'userId'),
    currentRolloutPartial:
      current?.rollout !== undefined && current.rollout.percentage > 0 && current.rollout.percentage < 100,
    currentExpiresAt: current?.expiresAt ?? null,
    currentExpired: currentExpiry !== null && currentExpiry <= now,
    numberChangeFactor: changeFactor(current?.value, change.value),
    numberBecameFractional:
      change.type === 'number' &&
      typeof current?.value === 'number' &&
      Number.isInteger(current.value) &&
      typeof change.value === 'number' &&
      !Number.isInteger(change.value),
    removedTopLevelKeys: topLevel.removedTopLevelKeys,
    removedTopLevelKeyCount: topLevel.removedTopLevelKeyCount,
    retypedTopLevelKeys: topLevel.retypedTopLevelKeys,
    retypedTopLevelKeyCount: topLevel.retypedTopLevelKeyCount,
  };
}

/**
 * Whether the fields that make a difference to services are the same (metadata-only rewrites are not
 * changes): JSON equality of those fields, field by field, cheapest first, without serialising strings.
 */
function sameSubstance(a: FlagChange, b: FlagChange): boolean {
  return (
    a.owner === b.owner &&
    a.temporary === b.temporary &&
    a.expiresAt === b.expiresAt &&
    a.purpose === b.purpose &&
    sameJson(a.constraints, b.constraints) &&
    sameStrings(a.services, b.services) &&
    sameStrings(a.regions, b.regions) &&
    sameStrings(a.tags, b.tags) &&
    sameJson(a.rollout, b.rollout) &&
    sameJson(a.offValue, b.offValue) &&
    sameJson(a.variants, b.variants) &&
    sameJson(a.targeting, b.targeting) &&
    sameJson(a.prerequisites, b.prerequisites)
  );
}

/** JSON equality of two optional lists, where absent and empty are the same; most changes have neither. */
function sameList(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (!a?.length || !b?.length) return !a?.length && !b?.length;
  return sameJson(a, b);
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function changeFactor(before: JsonValue | undefined, after: JsonValue): number | null {
  if (typeof before !== 'number' || typeof after !== 'number' || before === 0 || after === 0) return null;
  const ratio = Math.abs(after / before);
  return Math.round(Math.max(ratio, 1 / ratio) * 100) / 100;
}

// Most changes replace a scalar: one frozen answer instead of three allocations per change.
const NO_TOP_LEVEL_KEYS = Object.freeze({
  removedTopLevelKeys: Object.freeze([]) as readonly string[],
  removedTopLevelKeyCount: 0,
  retypedTopLevelKeys: Object.freeze([]) as readonly string[],
  retypedTopLevelKeyCount: 0,
});

function compareTopLevelKeys(before: JsonValue | undefined, after: JsonValue) {
  if (!isPlainObject(before) || !isPlainObject(after)) return NO_TOP_LEVEL_KEYS;
  const removedTopLevelKeys = Object.keys(before).filter((k) => !(k in after));
  const retypedTopLevelKeys = Object.keys(before).filter((k) => k in after && kindOf(before[k]) !== kindOf(after[k]));
  return {
    removedTopLevelKeys: removedTopLevelKeys as readonly string[],
    removedTopLevelKeyCount: removedTopLevelKeys.length,
    retypedTopLevelKeys: retypedTopLevelKeys as readonly string[],
    retypedTopLevelKeyCount: retypedTopLevelKeys.length,
  };
}
