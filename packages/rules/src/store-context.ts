import { ServiceCatalogue } from './catalogue/catalogue';
import {
  ChangeFreeze,
  ChangeWindow,
  HistoryEntry,
  ValidationContext,
  createValidationContext,
  loadPrerequisiteChain,
} from './context';
import { FlagChange } from './model/flag-change';
import { parseFlagChange } from './model/parse';
import { FlagChangeParseError } from './model/parse-error';

/**
 * A flag document as the flag table stores it: the change (the fields below, and the rest the model reads)
 * plus the store's own fields. Structural, so this package reads what @ffc/store returns without depending
 * on it (its FlagDocument is one, and so is a FlagChange).
 */
export interface StoredFlagDocument {
  readonly flagKey: string;
  readonly version: number;
  /** `change`, `restore`, `rollback` or `archive`; absent on documents written before kinds existed. */
  readonly kind?: string;
  readonly changedAt?: string;
  readonly changedBy?: string;
  readonly correlationId?: string;
  /** An archive's own reason and ticket (a change's are part of the change it holds). */
  readonly reason?: unknown;
  readonly ticket?: unknown;
}

/** What the validation context reads from the flag table; @ffc/store's FlagStore is one. */
export interface FlagTableReader {
  /** The current document, or null when the flag does not exist or is archived. */
  get(flagKey: string): Promise<StoredFlagDocument | null>;
  getVersion(flagKey: string, version: number): Promise<StoredFlagDocument | null>;
  /** Accepted writes, newest first. */
  history(flagKey: string, options: { limit: number }): Promise<readonly StoredFlagDocument[]>;
  /** The highest version verified in every listed region, or null. */
  lastKnownGood(flagKey: string, regions: readonly string[]): Promise<StoredFlagDocument | null>;
  /** The current documents of the flags whose prerequisites name `flagKey`: the store's reverse index, never a scan. */
  dependents(flagKey: string): Promise<readonly StoredFlagDocument[]>;
}

/** Fields the store adds to a flag document; they are not part of the change the rules validate. */
const STORE_FIELDS = ['correlationId', 'rollbackOf', 'restoreOf', 'sourceVersion', 'writtenIn'] as const;

/** Writes the rules look back over: enough for the daily rate rules, one query. */
const HISTORY_LIMIT = 50;

/**
 * The correlation id of a change written without one (the store allows it; only `ffc set` always sets one):
 * derived from key and version, so every region links its events to the same story. `:` because the audit
 * contract allows only `[A-Za-z0-9._:-]` (an `@` made every such change unauditable).
 */
export function fallbackCorrelationId(flagKey: string, version: number): string {
  return `${flagKey}:${version}`;
}

/**
 * Splits a stored document into the change the rules validate and its correlation id (as stored: the audit
 * validator judges it, since a writer that bypassed the CLI may have stored anything there).
 */
export function changeOf(document: StoredFlagDocument): { change: FlagChange; correlationId: string } {
  const fields: Record<string, unknown> = { ...document };
  for (const field of STORE_FIELDS) delete fields[field];
  const change = parseFlagChange(fields);
  return { change, correlationId: document.correlationId ?? fallbackCorrelationId(change.flagKey, change.version) };
}

/**
 * What an archive asks the rules to judge: the flag's current content at the archive's version, by the
 * archive's author and instant, with `archiving: true` in the context (FFC-PREREQ-015, FFC-TEMP-014).
 * Undefined when the archived document is unreadable: there is nothing to judge, and archiving clears it.
 */
export function archiveChangeOf(archive: StoredFlagDocument, archived: StoredFlagDocument): FlagChange | undefined {
  let change: FlagChange;
  try {
    change = changeOf(archived).change;
  } catch (error) {
    if (error instanceof FlagChangeParseError) return undefined;
    throw error;
  }
  return {
    ...change,
    // Whatever wrote the archived content (a restore, a rollback), the archive is an operator's change.
    kind: 'change',
    version: archive.version,
    changedAt: archive.changedAt ?? change.changedAt,
    changedBy: archive.changedBy ?? change.changedBy,
    reason: typeof archive.reason === 'string' ? archive.reason : change.reason,
    ticket: typeof archive.ticket === 'string' ? archive.ticket : change.ticket,
  };
}

/** The stage's policy and reach: the same input for `ffc set` and every region's stream validator. */
export interface StagePolicyInput {
  readonly stage: string;
  readonly production: boolean;
  readonly catalogue: ServiceCatalogue;
  /** Every region the stage serves: last known good is the version verified in all of them. */
  readonly regions: readonly string[];
  /** @default - any time */
  readonly changeWindows?: readonly ChangeWindow[];
  /** @default - none */
  readonly freezes?: readonly ChangeFreeze[];
  /** @default 'UTC' */
  readonly timeZone?: string;
}

/**
 * The validation context of a change as the flag table knows it: the version it replaces, its whole
 * prerequisite chain, the flags that depend on it, its history, creation and last known good. The write
 * path (`ffc set`) and every region's stream validator build it the same way, so they reach the same
 * verdict; `now` is the change's own timestamp. Reads run in parallel: one per chain hop, plus three.
 */
export async function validationContextFromStore(
  reader: FlagTableReader,
  change: FlagChange,
  previous: StoredFlagDocument | undefined,
  policy: StagePolicyInput,
  { archiving = false }: { readonly archiving?: boolean } = {},
): Promise<ValidationContext> {
  const { flagKey } = change;
  const [prerequisites, history, lastKnownGood, dependents] = await Promise.all([
    loadPrerequisiteChain(change, async (key) => {
      const document = await reader.get(key);
      return document ? changeOf(document).change : undefined;
    }),
    reader.history(flagKey, { limit: HISTORY_LIMIT }),
    previous ? reader.lastKnownGood(flagKey, policy.regions) : null,
    reader.dependents(flagKey),
  ]);
  const earlier = history.filter((h) => h.version < change.version);
  return createValidationContext({
    now: change.changedAt,
    stage: policy.stage,
    production: policy.production,
    catalogue: policy.catalogue,
    changeWindows: policy.changeWindows,
    freezes: policy.freezes,
    timeZone: policy.timeZone,
    current: previous ? changeOf(previous).change : undefined,
    prerequisites,
    history: earlier.map(toHistoryEntry),
    lastKnownGood: lastKnownGood ? changeOf(lastKnownGood).change : undefined,
    dependents: dependents.map((d) => changeOf(d).change),
    createdAt: previous ? await creationOf(reader, flagKey, earlier) : undefined,
    archiving,
  });
}

/**
 * When the flag's current life began: the write after its newest archive (a re-created key continues its
 * history), else its version 1 — read separately only when the recent history does not reach back that far.
 */
async function creationOf(
  reader: FlagTableReader,
  flagKey: string,
  history: readonly StoredFlagDocument[],
): Promise<string | undefined> {
  const newestArchive = history.find((h) => h.kind === 'archive');
  const firstVersion = newestArchive ? newestArchive.version + 1 : 1;
  const first = history.find((h) => h.version === firstVersion) ?? (await reader.getVersion(flagKey, firstVersion));
  return first?.changedAt;
}

function toHistoryEntry(document: StoredFlagDocument): HistoryEntry {
  const rollout = (document as { rollout?: { percentage?: number } }).rollout;
  return {
    version: document.version,
    // The rules have no archive kind: to them an archive is one more operator change.
    kind: document.kind === 'restore' || document.kind === 'rollback' ? document.kind : 'change',
    changedAt: document.changedAt ?? new Date(0).toISOString(),
    changedBy: document.changedBy ?? 'unknown',
    rolloutPercentage: rollout?.percentage,
  };
}
