import { indexCatalogue, CatalogueIndex, ServiceCatalogue, serviceCatalogue } from './catalogue/catalogue';
import { ChangeKind, FlagChange } from './model/flag-change';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Production changes are allowed on these UTC days between `start` and `end` ("HH:MM", end exclusive). */
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
  /** Epoch milliseconds; rules never read the clock. */
  readonly now: number;
  readonly catalogue: CatalogueIndex;
  readonly policy: StagePolicy;
  /** The version the change replaces, or undefined when the flag does not exist yet. */
  readonly current?: FlagChange;
  /** Current state of prerequisite flags, including their own prerequisites (transitively) when known. */
  readonly prerequisites: ReadonlyMap<string, FlagChange>;
  readonly history: readonly HistoryEntry[];
}

export interface ValidationContextInput {
  readonly now: number | Date | string;
  readonly stage: string;
  readonly production?: boolean;
  readonly changeWindows?: readonly ChangeWindow[];
  readonly freezes?: readonly ChangeFreeze[];
  /** @default the catalogue shipped with this package */
  readonly catalogue?: ServiceCatalogue;
  readonly current?: FlagChange;
  readonly prerequisites?: Iterable<FlagChange>;
  readonly history?: readonly HistoryEntry[];
}

/** Builds a validation context; cheap enough to call per change (the catalogue index is cached). */
export function createValidationContext(input: ValidationContextInput): ValidationContext {
  const now = typeof input.now === 'number' ? input.now : new Date(input.now).getTime();
  if (!Number.isFinite(now)) throw new RangeError(`validation context: 'now' is not a valid instant (${input.now})`);
  return {
    now,
    catalogue: indexCatalogue(input.catalogue ?? serviceCatalogue),
    policy: {
      stage: input.stage,
      production: input.production ?? false,
      changeWindows: input.changeWindows ?? [],
      freezes: input.freezes ?? [],
    },
    current: input.current,
    prerequisites: new Map([...(input.prerequisites ?? [])].map((p) => [p.flagKey, p])),
    history: input.history ?? [],
  };
}
