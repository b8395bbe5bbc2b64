import { sameJson } from './prerequisites';
import { CatalogueIndex } from '../catalogue/catalogue';
import { FlagChange } from '../model/flag-change';

/** Deployments (one service in one region) of a catalogue, in all and per region, counted once per catalogue. */
interface Deployments {
  readonly total: number;
  readonly perRegion: ReadonlyMap<string, number>;
}
const deploymentCounts = new WeakMap<CatalogueIndex, Deployments>();

function deploymentsOf(catalogue: CatalogueIndex): Deployments {
  let counts = deploymentCounts.get(catalogue);
  if (!counts) {
    const perRegion = new Map<string, number>();
    for (const s of catalogue.catalogue.services) {
      for (const r of s.regions) perRegion.set(r, (perRegion.get(r) ?? 0) + 1);
    }
    counts = { total: [...perRegion.values()].reduce((a, b) => a + b, 0), perRegion };
    deploymentCounts.set(catalogue, counts);
  }
  return counts;
}

/** How many deployments a document's services and regions reach (unknown services reach none). */
function deploymentsReached(doc: FlagChange, catalogue: CatalogueIndex): number {
  const regions = doc.regions && new Set(doc.regions);
  if (doc.services.includes('*')) {
    const { total, perRegion } = deploymentsOf(catalogue);
    if (!regions) return total;
    let n = 0;
    for (const r of regions) n += perRegion.get(r) ?? 0;
    return n;
  }
  let n = 0;
  const seen = new Set<string>();
  for (const id of doc.services) {
    const service = seen.has(id) ? undefined : catalogue.byId.get(id);
    seen.add(id);
    if (!service) continue;
    if (!regions) n += service.regions.length;
    else for (const r of service.regions) if (regions.has(r)) n++;
  }
  return n;
}

/** Share of units that get the flag's served value where it applies: a boolean false reaches nobody. */
export function rolloutShare(doc: FlagChange): number {
  if (doc.type === 'boolean' && doc.value === false) return 0;
  return doc.rollout ? doc.rollout.percentage : 100;
}

/**
 * Percent of the fleet's deployments times the share of units there that a document's value reaches:
 * rollout x services x regions. Targeting is compared between the two versions instead (the validator
 * cannot size an audience), see measureExposure.
 */
function exposureOf(doc: FlagChange, catalogue: CatalogueIndex): number {
  const share = rolloutShare(doc);
  if (share <= 0) return 0;
  const { total } = deploymentsOf(catalogue);
  return total === 0 ? 0 : (share * deploymentsReached(doc, catalogue)) / total;
}

/** Whether `after` keeps every targeting rule of `before` (so it matches a subset of the same audience). */
function narrowsTargeting(before: FlagChange, after: FlagChange): boolean {
  const kept = after.targeting ?? [];
  return (before.targeting ?? []).every((rule) => kept.some((r) => sameJson(r, rule)));
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * The population exposed before and after the change, in percent of the fleet's deployments. A change of
 * targeting that drops or alters a rule may reach units nobody reached before, so it counts as a new
 * audience (exposed before: 0); adding rules only narrows it.
 */
export function measureExposure(change: FlagChange, current: FlagChange | undefined, catalogue: CatalogueIndex) {
  const after = exposureOf(change, catalogue);
  const before = current && narrowsTargeting(current, change) ? exposureOf(current, catalogue) : 0;
  return {
    exposureBefore: round4(before),
    exposureAfter: round4(after),
    exposureIncreased: after > before,
    // How many times the exposed population grows; null when nobody was exposed before (no ratio exists).
    exposureGrowth: before > 0 ? Math.round((after / before) * 100) / 100 : null,
  };
}

/** A change's content as services evaluate it, besides value and rollout. */
const SCOPE_FIELDS = [
  'type',
  'services',
  'regions',
  'targeting',
  'prerequisites',
  'variants',
  'constraints',
  'purpose',
  'owner',
  'tags',
] as const;
/** What a rollback writes back exactly (the stream validator compares the same fields). */
const CONTENT_FIELDS = [
  'type',
  'value',
  'offValue',
  'variants',
  'services',
  'regions',
  'rollout',
  'targeting',
  'prerequisites',
] as const;

const same = (a: FlagChange, b: FlagChange, fields: readonly (keyof FlagChange)[]) =>
  fields.every((f) => sameJson(a[f], b[f]));

/** Whether two documents serve the same (what a rollback must write back exactly). */
export const sameContent = (a: FlagChange, b: FlagChange): boolean => same(a, b, CONTENT_FIELDS);

/** The safety valves: changes that are never blocked by pace or process rules, only by integrity ones. */
export type SafetyValve = 'turn-off' | 'kill-switch' | 'rollback';

/**
 * Which safety valve a change is, if any:
 * - `turn-off`: only value and rollout change, and nobody gets the served value any more (a boolean turned
 *   false, or any flag's rollout set to 0 with its value unchanged);
 * - `kill-switch`: a kill switch engaged (false to true), nothing else but its rollout changed;
 * - `rollback`: the verifier's automatic rollback, or an operator writing back the last known good content.
 */
export function safetyValveOf(
  change: FlagChange,
  current: FlagChange | undefined,
  lastKnownGood: FlagChange | undefined,
  killSwitch: boolean,
): SafetyValve | null {
  if (change.kind === 'rollback' || isOperatorRollback(change, current, lastKnownGood)) return 'rollback';
  if (change.kind !== 'change' || !current || !same(change, current, SCOPE_FIELDS)) return null;
  // What the others get stays, or is declared for the first time (a flag from before off values turning off).
  if (current.offValue !== undefined && !sameJson(change.offValue, current.offValue)) return null;
  // A kill switch's brake is `true`: engaging it is the valve; releasing it turns the feature back on for
  // everyone, which is no turn-off even though its exposure (of `true`) drops to nothing.
  if (killSwitch) return current.value === false && change.value === true ? 'kill-switch' : null;
  const offNow = rolloutShare(change) === 0 && (change.type === 'boolean' || sameJson(change.value, current.value));
  return offNow && rolloutShare(current) > 0 ? 'turn-off' : null;
}

function isOperatorRollback(change: FlagChange, current: FlagChange | undefined, good: FlagChange | undefined) {
  return (
    change.kind === 'change' &&
    current !== undefined &&
    good !== undefined &&
    good.flagKey === change.flagKey &&
    good.stage === change.stage &&
    good.version < current.version &&
    same(change, good, CONTENT_FIELDS) &&
    !same(current, good, CONTENT_FIELDS)
  );
}
