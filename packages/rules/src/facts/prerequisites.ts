import { jsonByteLength } from './json-size';
import { memberOf } from './lists';
import { parseInstant } from './time';
import { kindOf } from './value-shape';
import { FlagChange, FlagType, Prerequisite } from '../model/flag-change';

const KINDS_BY_TYPE: Record<FlagType, readonly string[]> = {
  boolean: ['boolean'],
  string: ['string'],
  number: ['number'],
  json: ['object', 'array'],
};

/** Measurements of the prerequisites against the current state of the flags they name. */
export function measurePrerequisites(change: FlagChange, states: ReadonlyMap<string, FlagChange>) {
  const prerequisites = change.prerequisites ?? [];
  const keys = prerequisites.map((p) => p.flagKey);
  const others = keys.filter((k) => k !== change.flagKey);
  const found = prerequisites.filter((p) => p.flagKey !== change.flagKey && states.has(p.flagKey));
  const stateOf = (key: string) => states.get(key)!;
  const expiry = change.temporary ? parseInstant(change.expiresAt) : null;
  // Per prerequisite flag, not per listing: a change may name the same flag thousands of times.
  const coverage = new Map<string, boolean>();
  const coversServices = (key: string) => {
    let covers = coverage.get(key);
    if (covers === undefined) {
      const theirs = stateOf(key).services;
      covers = theirs.includes('*') || (!change.services.includes('*') && change.services.every(memberOf(theirs)));
      coverage.set(key, covers);
    }
    return covers;
  };
  const stateJson = new Map<string, string>();
  const satisfies = (p: Prerequisite) => {
    let json = stateJson.get(p.flagKey);
    if (json === undefined) stateJson.set(p.flagKey, (json = JSON.stringify(stateOf(p.flagKey).value)));
    return JSON.stringify(p.value) === json;
  };
  const prerequisiteTypeMismatches = found
    .filter((p) => !KINDS_BY_TYPE[stateOf(p.flagKey).type].includes(kindOf(p.value)))
    .map((p) => p.flagKey);
  const temporaryPrerequisites = found.filter((p) => stateOf(p.flagKey).temporary === true).map((p) => p.flagKey);
  const prerequisitesExpiringFirst =
    expiry === null
      ? []
      : found
          .filter((p) => {
            const theirs = parseInstant(stateOf(p.flagKey).expiresAt);
            return theirs !== null && theirs < expiry;
          })
          .map((p) => p.flagKey);
  const prerequisitesMissingServices = found.filter((p) => !coversServices(p.flagKey)).map((p) => p.flagKey);
  const unsatisfiedPrerequisites = found.filter((p) => !satisfies(p)).map((p) => p.flagKey);
  const chains = walkChains(change, states);
  // Direct ones first; then flags further down the chain that the context does not hold.
  const missingPrerequisites = [...new Set([...others.filter((k) => !states.has(k)), ...chains.missingInChain])];
  return {
    prerequisiteCount: prerequisites.length,
    prerequisiteKeys: keys,
    selfPrerequisite: keys.includes(change.flagKey),
    duplicatePrerequisiteCount: keys.length - new Set(keys).size,
    missingPrerequisites,
    missingPrerequisiteCount: missingPrerequisites.length,
    prerequisiteTypeMismatches,
    prerequisiteTypeMismatchCount: prerequisiteTypeMismatches.length,
    temporaryPrerequisites,
    temporaryPrerequisiteCount: temporaryPrerequisites.length,
    prerequisitesExpiringFirst,
    prerequisitesExpiringFirstCount: prerequisitesExpiringFirst.length,
    prerequisitesMissingServices,
    prerequisitesMissingServicesCount: prerequisitesMissingServices.length,
    unsatisfiedPrerequisites,
    unsatisfiedPrerequisiteCount: unsatisfiedPrerequisites.length,
    maxPrerequisiteValueBytes: prerequisites.reduce((n, p) => Math.max(n, jsonByteLength(p.value) ?? 0), 0),
    prerequisiteDepth: chains.prerequisiteDepth,
    prerequisiteCycle: chains.prerequisiteCycle,
  };
}

/**
 * Follows prerequisite chains through the known states: the longest chain, a cycle back to this flag, and
 * the flags the chain names that the context does not hold (a cycle through them cannot be ruled out).
 * Each flag's longest chain is measured once and remembered: walking every path instead doubled the work
 * with every rung of a ladder of flags that each need the next two (F33). A flag already on the current
 * path ends the chain there (a cycle that does not pass through this flag is not this change's to report).
 */
function walkChains(change: FlagChange, states: ReadonlyMap<string, FlagChange>) {
  let prerequisiteCycle: string | null = null;
  const missingInChain: string[] = [];
  const chainFrom = new Map<string, number>();
  const path = [change.flagKey];
  const longest = (keys: readonly string[]): number => {
    let best = 0;
    for (const key of keys) {
      if (key === change.flagKey) {
        if (path.length > 1) prerequisiteCycle ??= [...path, key].join(' -> ');
        continue;
      }
      if (path.includes(key)) continue;
      let length = chainFrom.get(key);
      if (length === undefined) {
        const state = states.get(key);
        if (!state && path.length > 1) missingInChain.push(key);
        path.push(key);
        length = 1 + longest(state?.prerequisites?.map((p) => p.flagKey) ?? []);
        path.pop();
        chainFrom.set(key, length);
      }
      best = Math.max(best, length);
    }
    return best;
  };
  // Each flag once: a key listed again would walk the same chains again.
  const prerequisiteDepth = longest([...new Set((change.prerequisites ?? []).map((p) => p.flagKey))]);
  return { prerequisiteDepth, prerequisiteCycle, missingInChain };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
