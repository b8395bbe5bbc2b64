import { memberOf } from './lists';
import { parseInstant } from './time';
import { ValidationContext } from '../context';
import { FlagChange } from '../model/flag-change';

const NO_STRINGS: readonly string[] = Object.freeze([]);
const NONE = Object.freeze({
  dependentCount: 0,
  dependentsLosingValue: NO_STRINGS,
  dependentsLosingOffValue: NO_STRINGS,
  dependentsOutliving: NO_STRINGS,
  dependentsOutsideServices: NO_STRINGS,
});

/**
 * The reverse dependencies: what the change does to the flags that list this flag as a prerequisite. Each
 * list names flags that would switch off (a required value no longer served), outlive it, or reach services
 * it no longer reaches.
 */
export function measureDependents(change: FlagChange, { dependents, current }: ValidationContext) {
  // Nearly every flag has none: no allocation at all.
  if (dependents.length === 0) return NONE;
  const mine = dependents.filter((d) => d.prerequisites?.some((p) => p.flagKey === change.flagKey));
  if (mine.length === 0) return NONE;
  const requiring = (value: unknown) => {
    const json = JSON.stringify(value);
    return mine.filter((d) =>
      d.prerequisites!.some((p) => p.flagKey === change.flagKey && JSON.stringify(p.value) === json),
    );
  };
  const losing = (before: unknown, after: unknown) =>
    current === undefined || before === undefined || JSON.stringify(before) === JSON.stringify(after)
      ? NO_STRINGS
      : requiring(before).map((d) => d.flagKey);
  const expiry = change.temporary === true ? parseInstant(change.expiresAt) : null;
  const outliving =
    change.temporary !== true
      ? NO_STRINGS
      : mine
          .filter((d) => {
            if (d.temporary !== true) return true;
            const theirs = parseInstant(d.expiresAt);
            return expiry !== null && (theirs === null || theirs > expiry);
          })
          .map((d) => d.flagKey);
  const covers = (doc: FlagChange, d: FlagChange) =>
    doc.services.includes('*') || (!d.services.includes('*') && d.services.every(memberOf(doc.services)));
  // Newly: a dependent this flag's current version covers and the change no longer does.
  const outside = mine.filter((d) => !covers(change, d) && (current === undefined || covers(current, d)));
  return {
    dependentCount: mine.length,
    dependentsLosingValue: losing(current?.value, change.value),
    dependentsLosingOffValue: losing(current?.offValue, change.offValue),
    dependentsOutliving: outliving,
    dependentsOutsideServices: outside.map((d) => d.flagKey) as readonly string[],
  };
}
