import { HistoryEntry, StagePolicy, WEEKDAYS } from '../context';
import { ChangeKind } from '../model/flag-change';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Epoch milliseconds of an ISO 8601 instant, or null when it is not one. */
export function parseInstant(text: string | undefined): number | null {
  if (text === undefined) return null;
  const plain = parsePlainUtcInstant(text);
  if (plain !== null) return plain;
  if (!ISO_INSTANT.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

const digitAt = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const numberAt = (text: string, from: number, digits: number): number => {
  let n = 0;
  for (let i = from; i < from + digits; i++) n = n * 10 + digitAt(text, i);
  return n;
};

/**
 * The common `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ` shapes (the second is what
 * `toISOString`, and so the flag store, writes) without the regex and Date.parse: history makes a dozen
 * per change. Only unambiguous instants take this path (days up to 28, years from 1970); everything else
 * returns null and goes the general way, and test/instant.test.ts holds the two ways equal.
 */
function parsePlainUtcInstant(text: string): number | null {
  const millis = text.length === 24 && text[19] === '.' ? numberAt(text, 20, 3) : text.length === 20 ? 0 : NaN;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T') return null;
  if (text[13] !== ':' || text[16] !== ':' || text[text.length - 1] !== 'Z' || !(millis >= 0)) return null;
  const year = numberAt(text, 0, 4);
  const month = numberAt(text, 5, 2);
  const day = numberAt(text, 8, 2);
  const hour = numberAt(text, 11, 2);
  const minute = numberAt(text, 14, 2);
  const second = numberAt(text, 17, 2);
  // NaN (a non-digit) fails every comparison below.
  const unambiguous =
    year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59;
  if (!unambiguous) return null;
  return (((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millis;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil, for years from 1970):
 * integer arithmetic instead of a call to Date.UTC, which cost most of a history entry.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Time facts are measured from the change's own `changedAt`, so every region reaches the same verdict
 * whenever it validates; only the clock-sanity facts compare with the context's `now`.
 */
export function measureTime(changedAt: number | null, now: number, policy: StagePolicy, expiresAt: string | undefined) {
  const at = changedAt ?? now;
  const expiry = parseInstant(expiresAt);
  const activeFreeze = policy.freezes.find((f) => {
    const from = parseInstant(f.from);
    const to = parseInstant(f.to);
    return from !== null && to !== null && from <= at && at < to;
  });
  return {
    changedAtValid: changedAt !== null,
    changedAtAheadSeconds: changedAt === null ? null : Math.round((changedAt - now) / 1000),
    changedAtAgeHours: changedAt === null ? null : round2((now - changedAt) / HOUR),
    changeWindowsConfigured: policy.changeWindows.length > 0,
    withinChangeWindow: withinWindows(policy, at),
    activeFreeze: activeFreeze ? activeFreeze.reason : null,
    hasExpiresAt: expiresAt !== undefined,
    expiresInDays: expiry === null ? null : round2((expiry - at) / DAY),
  };
}

function withinWindows(policy: StagePolicy, at: number): boolean {
  const date = new Date(at);
  const day = WEEKDAYS[date.getUTCDay()];
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  return policy.changeWindows.some(
    (w) => w.days.includes(day) && toMinutes(w.start) <= minute && minute < toMinutes(w.end),
  );
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Rate facts over the flag's recent writes, counted back from this change in one pass with no allocation. */
export function measureHistory(history: readonly HistoryEntry[], changedAt: number | null, changedBy: string) {
  // A change without a valid instant cannot be placed in its history: it counts nothing.
  const from = changedAt ?? -Infinity;
  let changesLastHour = 0;
  let changesLastDay = 0;
  let rollbacksLastDay = 0;
  let restoresLastHour = 0;
  let changesByAuthorLastHour = 0;
  let latestAt = -Infinity;
  let lastChangeKind: ChangeKind | null = null;
  for (const entry of history) {
    const at = parseInstant(entry.changedAt);
    if (at === null || at > from) continue;
    const age = from - at;
    if (age < HOUR) {
      changesLastHour++;
      if (entry.kind === 'restore') restoresLastHour++;
      if (entry.changedBy === changedBy) changesByAuthorLastHour++;
    }
    if (age < DAY) {
      changesLastDay++;
      if (entry.kind === 'rollback') rollbacksLastDay++;
    }
    // Strictly later: on a tie the first entry listed stays the latest.
    if (at > latestAt) {
      latestAt = at;
      lastChangeKind = entry.kind;
    }
  }
  return {
    changesLastHour,
    changesLastDay,
    rollbacksLastDay,
    restoresLastHour,
    changesByAuthorLastHour,
    minutesSinceLastChange: latestAt === -Infinity ? null : round2((from - latestAt) / MINUTE),
    lastChangeKind,
  };
}
