import { assertFlagKey } from '@ffc/identifiers';
import { InconsistentFlagTableError } from './errors';
import { FlagDocument } from './flag-document';
import { CURRENT_SK, dependentSk, flagPk, versionSk } from './keys';

/**
 * A flag item (CURRENT or a history version): the document is kept whole in one map attribute, and its
 * version is copied to a top-level attribute so conditions can compare it.
 */
export interface FlagItem {
  readonly pk: string;
  readonly sk: string;
  readonly version: number;
  readonly document: FlagDocument;
}

export function currentItem(document: FlagDocument): FlagItem {
  return { pk: flagPk(document.flagKey), sk: CURRENT_SK, version: document.version, document };
}

export function historyItem(document: FlagDocument): FlagItem {
  return { pk: flagPk(document.flagKey), sk: versionSk(document.version), version: document.version, document };
}

/**
 * Reverse-index edges of a document: one item under each flag it names as a prerequisite. Edges are only
 * ever upserted (never deleted when a later version drops the prerequisite): readers confirm each against the
 * dependent's current document, so a stale edge costs one read and never a wrong answer.
 */
export function dependentEdgeItems(document: FlagDocument): DependentEdgeItem[] {
  const prerequisites = (document as { prerequisites?: unknown }).prerequisites;
  if (!Array.isArray(prerequisites)) return [];
  const keys = new Set(prerequisites.map((p) => assertFlagKey((p as { flagKey?: unknown } | null)?.flagKey)));
  return [...keys].map((key) => ({
    pk: flagPk(key),
    sk: dependentSk(document.flagKey),
    dependent: document.flagKey,
    dependentVersion: document.version,
  }));
}

export interface DependentEdgeItem {
  readonly pk: string;
  readonly sk: string;
  readonly dependent: string;
  readonly dependentVersion: number;
}

/** Reads the document out of an item, refusing one whose copies of the version disagree. */
export function documentOf(item: Record<string, unknown> | undefined): FlagDocument | null {
  if (!item) return null;
  const document = item.document as FlagDocument | undefined;
  if (typeof document !== 'object' || document === null || document.version !== item.version) {
    throw new InconsistentFlagTableError(`item ${String(item.pk)} / ${String(item.sk)} has no document of its version`);
  }
  return document;
}
