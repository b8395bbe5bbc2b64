import {
  FlagChange,
  HistoryEntry,
  ServiceCatalogue,
  ValidationContext,
  createValidationContext,
  parseFlagChange,
} from '@ffc/rules';
import { FlagDocument, FlagStore } from '@ffc/store';

/** Fields the store adds to a flag document; they are not part of the change the rules validate. */
const STORE_FIELDS = ['correlationId', 'rollbackOf', 'restoreOf', 'sourceVersion', 'writtenIn'] as const;

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
export function changeOf(document: FlagDocument): { change: FlagChange; correlationId: string } {
  const fields: Record<string, unknown> = { ...document };
  for (const field of STORE_FIELDS) delete fields[field];
  const change = parseFlagChange(fields);
  return { change, correlationId: document.correlationId ?? fallbackCorrelationId(change.flagKey, change.version) };
}

export interface StagePolicyInput {
  readonly stage: string;
  readonly production: boolean;
  readonly catalogue: ServiceCatalogue;
}

/**
 * The validation context of a change as the flag table knows it: the version it replaces, its prerequisites'
 * current state and its history. The write path (`ffc set`) and every region's stream validator build it the
 * same way, so they reach the same verdict; `now` is the change's own timestamp.
 */
export async function validationContextFromStore(
  store: FlagStore,
  change: FlagChange,
  previous: FlagDocument | undefined,
  policy: StagePolicyInput,
): Promise<ValidationContext> {
  // One read per flag, however often the change lists it.
  const prerequisiteKeys = [...new Set((change.prerequisites ?? []).map((p) => p.flagKey))];
  const prerequisites = await Promise.all(prerequisiteKeys.map((key) => store.get(key)));
  const history = await store.history(change.flagKey, { limit: 50 });
  return createValidationContext({
    now: change.changedAt,
    stage: policy.stage,
    production: policy.production,
    catalogue: policy.catalogue,
    current: previous ? changeOf(previous).change : undefined,
    prerequisites: prerequisites.filter((p): p is FlagDocument => p !== null).map((p) => changeOf(p).change),
    history: history.filter((h) => h.version < change.version).map(toHistoryEntry),
  });
}

function toHistoryEntry(document: FlagDocument): HistoryEntry {
  const rollout = (document as { rollout?: { percentage?: number } }).rollout;
  return {
    version: document.version,
    // The rules have no archive kind: to them an archive is one more operator change.
    kind: document.kind === undefined || document.kind === 'archive' ? 'change' : document.kind,
    changedAt: document.changedAt ?? new Date(0).toISOString(),
    changedBy: document.changedBy ?? 'unknown',
    rolloutPercentage: rollout?.percentage,
  };
}
