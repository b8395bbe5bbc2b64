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
 * Time facts are measured from the context's `now`, the trusted instant of the write (a writer can backdate
 * its own `changedAt`, not the server's stamp); the clock-sanity facts compare the two.
 */
export function measureTime(
  changedAt: number | null,
  now: number,
  policy: StagePolicy,
  expiresAt: string | undefined,
  currentChangedAt: string | undefined,
) {
  const expiry = parseInstant(expiresAt);
  const activeFreeze = policy.freezes.find((f) => {
    const from = parseInstant(f.from);
    const to = parseInstant(f.to);
    return from !== null && to !== null && from <= now && now < to;
  });
  const before = parseInstant(currentChangedAt);
  return {
    changedAtValid: changedAt !== null,
    changedAtAheadSeconds: changedAt === null ? null : Math.round((changedAt - now) / 1000),
    changedAtAgeHours: changedAt === null ? null : round2((now - changedAt) / HOUR),
    changedAtBeforeCurrent: changedAt !== null && before !== null && changedAt < before,
    changeWindowsConfigured: policy.changeWindows.length > 0,
    withinChangeWindow: policy.changeWindows.length > 0 && withinWindows(policy, now),
    activeFreeze: activeFreeze ? activeFreeze.reason : null,
    hasExpiresAt: expiresAt !== undefined,
    expiresInDays: expiry === null ? null : round2((expiry - now) / DAY),
  };
}

/** Whether `at` falls in a window, on the wall clock of the policy's time zone; windows may cross midnight. */
function withinWindows(policy: StagePolicy, at: number): boolean {
  const { weekday, minute } = wallClock(at, policy.timeZone);
  const yesterday = WEEKDAYS[(weekday + 6) % 7];
  const today = WEEKDAYS[weekday];
  return policy.changeWindows.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    if (start < end) return w.days.includes(today) && start <= minute && minute < end;
    // Across midnight: the evening part belongs to the listed day, the morning part to the day after it.
    return (w.days.includes(today) && minute >= start) || (w.days.includes(yesterday) && minute < end);
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Day of the week (0 = Sunday) and minute of the day of an instant in an IANA time zone. */
export function wallClock(at: number, timeZone: string): { weekday: number; minute: number } {
  if (timeZone === 'UTC') {
    const date = new Date(at);
    return { weekday: date.getUTCDay(), minute: date.getUTCHours() * 60 + date.getUTCMinutes() };
  }
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAY_INDEX[part.value];
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Rate facts over the flag's recent writes, counted back from the write's trusted instant in one pass. */
export function measureHistory(history: readonly HistoryEntry[], now: number, changedBy: string) {
  const from = now;
  let changesLastHour = 0;
  let changesLastDay = 0;
  let rollbacksLastDay = 0;
  let restoresLastHour = 0;
  let changesByAuthorLastHour = 0;
  let latestAt = -Infinity;
  let lastChangeKind: ChangeKind | null = null;
  let highestVersion = 0;
  for (const entry of history) {
    // Every version ever written counts, however old: a re-created key continues the history.
    if (entry.version > highestVersion) highestVersion = entry.version;
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
    highestVersion,
  };
}
