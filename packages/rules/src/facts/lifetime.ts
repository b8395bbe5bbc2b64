import { rolloutShare } from './exposure';
import { parseInstant } from './time';
import { FlagChange, FlagPurpose } from '../model/flag-change';

const DAY = 24 * 60 * 60 * 1000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** A flag without a declared purpose: temporary if it says so, else permanent. */
export function purposeOf(doc: FlagChange): FlagPurpose {
  return doc.purpose ?? (doc.temporary === true ? 'temporary' : 'permanent');
}

/** Whether a document serves its value to every unit it reaches: no partial rollout, targeting or prerequisites. */
export function servesEveryone(doc: FlagChange): boolean {
  return rolloutShare(doc) === 100 && !doc.targeting?.length && !doc.prerequisites?.length;
}

/** How old the flag and its current version are, and its purpose, measured from the write's trusted instant. */
export function measureLifetime(
  change: FlagChange,
  current: FlagChange | undefined,
  createdAt: number | null,
  now: number,
) {
  const expiry = parseInstant(change.expiresAt);
  const currentAt = parseInstant(current?.changedAt);
  return {
    purpose: purposeOf(change),
    purposeDeclared: change.purpose !== undefined,
    // Declaring a purpose for the first time is not a change of it.
    purposeChanged: current?.purpose !== undefined && current.purpose !== change.purpose,
    flagAgeDays: createdAt === null ? null : round2((now - createdAt) / DAY),
    expiresAfterCreationDays: createdAt === null || expiry === null ? null : round2((expiry - createdAt) / DAY),
    currentAgeDays: currentAt === null ? null : round2((now - currentAt) / DAY),
    servesEveryone: servesEveryone(change),
    currentServesEveryone: current !== undefined && servesEveryone(current),
  };
}
