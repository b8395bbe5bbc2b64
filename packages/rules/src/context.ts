import { indexCatalogue, CatalogueIndex, ServiceCatalogue, serviceCatalogue } from './catalogue/catalogue';
import { ChangeKind, FlagChange } from './model/flag-change';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Production changes are allowed on these days between `start` and `end` ("HH:MM", end exclusive), in the
 * stage's time zone. A window whose end is not after its start runs across midnight: `fri 22:00–02:00`
 * opens on Friday at 22:00 and closes on Saturday at 02:00.
 */
export interface ChangeWindow {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

/** A period (ISO instants, end exclusive) in which no production change is allowed, e.g. a sales peak. */
export interface ChangeFreeze {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export interface StagePolicy {
  readonly stage: string;
  readonly production: boolean;
  /** Empty means "any time". */
  readonly changeWindows: readonly ChangeWindow[];
  readonly freezes: readonly ChangeFreeze[];
  /** IANA time zone the windows are written in. */
  readonly timeZone: string;
}

/** One earlier write of the flag, newest or oldest first: the order does not matter. */
export interface HistoryEntry {
  readonly version: number;
  readonly kind: ChangeKind;
  readonly changedAt: string;
  readonly changedBy: string;
  readonly rolloutPercentage?: number;
}

/** Everything a rule may look at besides the change: explicit, so every region reaches the same verdict. */
export interface ValidationContext {
  /**
   * Epoch milliseconds of the write, from a clock the writer does not control (the write path's server
   * stamp): windows, freezes, expiry and rates are measured from it. Rules never read the clock.
   */
  readonly now: number;
  readonly catalogue: CatalogueIndex;
  readonly policy: StagePolicy;
  /** The version the change replaces, or undefined when the flag does not exist yet. */
  readonly current?: FlagChange;
  /** Current state of prerequisite flags and of theirs, transitively (see loadPrerequisiteChain). */
  readonly prerequisites: ReadonlyMap<string, FlagChange>;
  readonly history: readonly HistoryEntry[];
  /** The last version verified in every region: a change that writes its content back is a rollback. */
  readonly lastKnownGood?: FlagChange;
  /** Current state of the flags that list this flag as a prerequisite (the reverse dependencies). */
  readonly dependents: readonly FlagChange[];
  /**
   * Epoch milliseconds at which the flag was created (its version 1 was written), from the store; null when
   * unknown. A new flag is created now. Lifetimes by purpose (FFC-TEMP-009, -011) count from it.
   */
  readonly createdAt: number | null;
  /**
   * Whether this change's content (type, value, off value, targeting, prerequisites) is served, or was, in
   * the stage this one promotes from (e.g. staging before live); undefined when nobody looked (FFC-PROD-019).
   */
  readonly ranInLowerStage?: boolean;
  /**
   * The identity the write path authenticated for this write, in changedBy's form (the IAM-authorised
   * write function or the stream record's writer); undefined when the caller has none (FFC-PROD-020).
   */
  readonly authenticatedWriter?: string;
  /**
   * The write archives the flag (the change is its current document at the next version): the rules for
   * archives apply (FFC-PREREQ-015, FFC-TEMP-014).
   */
  readonly archiving: boolean;
}

export interface ValidationContextInput {
  /** The trusted instant of the write (see ValidationContext.now). */
  readonly now: number | Date | string;
  readonly stage: string;
  readonly production?: boolean;
  readonly changeWindows?: readonly ChangeWindow[];
  readonly freezes?: readonly ChangeFreeze[];
  /** @default 'UTC' */
  readonly timeZone?: string;
  /** @default the catalogue shipped with this package */
  readonly catalogue?: ServiceCatalogue;
  readonly current?: FlagChange;
  readonly prerequisites?: Iterable<FlagChange>;
  readonly history?: readonly HistoryEntry[];
  readonly lastKnownGood?: FlagChange;
  readonly dependents?: Iterable<FlagChange>;
  /** When the flag was created (see ValidationContext.createdAt). @default now for a new flag, else unknown */
  readonly createdAt?: number | Date | string;
  readonly ranInLowerStage?: boolean;
  readonly authenticatedWriter?: string;
  /** @default false */
  readonly archiving?: boolean;
}

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** A stage's change policy as its configuration declares it (CDK context, `ffc set --change-policy`). */
export type ChangePolicy = Pick<StagePolicy, 'changeWindows' | 'freezes' | 'timeZone'>;

/** A change policy the rules cannot apply; the message names the field and the form it takes. */
export class InvalidChangePolicyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangePolicyError';
  }
}

/**
 * Reads a stage's change policy from configuration (JSON: `{ timeZone, changeWindows, freezes }`, each
 * optional). Strict, because a freeze the rules cannot read would silently never apply.
 */
export function parseChangePolicy(value: unknown, source: string): ChangePolicy {
  const fail = (problem: string) => new InvalidChangePolicyError(`${source}: ${problem}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('the change policy must be an object { timeZone?, changeWindows?, freezes? }');
  }
  const { timeZone = 'UTC', changeWindows = [], freezes = [], ...unknown } = value as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw fail(`unknown field(s) ${extra.join(', ')}: use timeZone, changeWindows, freezes`);
  if (typeof timeZone !== 'string') throw fail('timeZone must be an IANA time zone name such as Europe/Berlin');
  if (!Array.isArray(changeWindows) || !Array.isArray(freezes)) throw fail('changeWindows and freezes must be lists');
  for (const f of freezes as Partial<ChangeFreeze>[]) {
    const readable = [f?.from, f?.to].every((t) => typeof t === 'string' && Number.isFinite(Date.parse(t)));
    if (!readable || typeof f.reason !== 'string' || Date.parse(f.from!) >= Date.parse(f.to!)) {
      throw fail(`freeze ${JSON.stringify(f)} must be { from, to, reason } with ISO 8601 instants, from before to`);
    }
  }
  const policy = { timeZone, changeWindows: changeWindows as ChangeWindow[], freezes: freezes as ChangeFreeze[] };
  assertChangePolicy(policy);
  return policy;
}

/** parseChangePolicy of a JSON text (a policy file, an environment variable); `source` names it in errors. */
export function parseChangePolicyJson(text: string, source: string): ChangePolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidChangePolicyError(`${source}: not JSON (${(error as Error).message}): write the policy as JSON`);
  }
  return parseChangePolicy(value, source);
}

function assertChangePolicy({ timeZone, changeWindows }: Pick<ChangePolicy, 'timeZone' | 'changeWindows'>): void {
  assertTimeZone(timeZone);
  for (const w of changeWindows) {
    const days: unknown[] = Array.isArray(w?.days) ? w.days : [undefined];
    const bad =
      [w?.start, w?.end].find((t) => !HH_MM.test(String(t))) ??
      (days.length === 0 ? 'no days' : days.find((d) => !isWeekday(d)));
    if (bad !== undefined) {
      throw new InvalidChangePolicyError(
        `validation context: change window ${JSON.stringify(w)} has '${bad}': use days ${WEEKDAYS.join(', ')} and times HH:MM (00:00-23:59)`,
      );
    }
  }
}

const isWeekday = (day: unknown): day is Weekday => WEEKDAYS.includes(day as Weekday);

/** Builds a validation context; cheap enough to call per change (the catalogue index is cached). */
export function createValidationContext(input: ValidationContextInput): ValidationContext {
  const now = instant(input.now, 'now');
  const timeZone = input.timeZone ?? 'UTC';
  const changeWindows = input.changeWindows ?? [];
  assertChangePolicy({ timeZone, changeWindows });
  const createdAt =
    input.createdAt === undefined ? (input.current ? null : now) : instant(input.createdAt, 'createdAt');
  return {
    now,
    catalogue: indexCatalogue(input.catalogue ?? serviceCatalogue),
    policy: {
      stage: input.stage,
      production: input.production ?? false,
      changeWindows,
      freezes: input.freezes ?? [],
      timeZone,
    },
    current: input.current,
    prerequisites: new Map([...(input.prerequisites ?? [])].map((p) => [p.flagKey, p])),
    history: input.history ?? [],
    lastKnownGood: input.lastKnownGood,
    dependents: [...(input.dependents ?? [])],
    createdAt,
    ranInLowerStage: input.ranInLowerStage,
    authenticatedWriter: input.authenticatedWriter,
    archiving: input.archiving ?? false,
  };
}

function instant(value: number | Date | string, name: string): number {
  const ms = typeof value === 'number' ? value : new Date(value).getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`validation context: '${name}' is not a valid instant (${value})`);
  return ms;
}

function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new InvalidChangePolicyError(
      `validation context: time zone '${timeZone}' is not an IANA time zone: use e.g. 'UTC' or 'Europe/Berlin'`,
    );
  }
}

/** Reads one flag's current state in the change's stage, or undefined when it does not exist. */
export type FlagStateReader = (flagKey: string) => Promise<FlagChange | undefined>;

/**
 * The current state of a change's prerequisites and of their prerequisites, transitively, each flag read
 * once: what `prerequisites` of the context must hold for the cycle and depth rules to see the whole chain.
 * Stops after `limit` flags (the rules allow chains of 3 with 5 prerequisites each, far below it).
 */
export async function loadPrerequisiteChain(
  change: Pick<FlagChange, 'flagKey' | 'prerequisites'>,
  read: FlagStateReader,
  limit = 100,
): Promise<FlagChange[]> {
  const seen = new Set<string>([change.flagKey]);
  const found: FlagChange[] = [];
  let wave = [...new Set((change.prerequisites ?? []).map((p) => p.flagKey))].filter((k) => !seen.has(k));
  while (wave.length > 0 && seen.size <= limit) {
    wave = wave.slice(0, limit + 1 - seen.size);
    wave.forEach((key) => seen.add(key));
    const states = (await Promise.all(wave.map(read))).filter((s): s is FlagChange => s !== undefined);
    found.push(...states);
    wave = [...new Set(states.flatMap((s) => (s.prerequisites ?? []).map((p) => p.flagKey)))].filter(
      (k) => !seen.has(k),
    );
  }
  return found;
}
