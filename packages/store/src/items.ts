import { InconsistentFlagTableError } from './errors';
import { FlagDocument } from './flag-document';
import { CURRENT_SK, flagPk, versionSk } from './keys';

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

/** Reads the document out of an item, refusing one whose copies of the version disagree. */
export function documentOf(item: Record<string, unknown> | undefined): FlagDocument | null {
  if (!item) return null;
  const document = item.document as FlagDocument | undefined;
  if (typeof document !== 'object' || document === null || document.version !== item.version) {
    throw new InconsistentFlagTableError(`item ${String(item.pk)} / ${String(item.sk)} has no document of its version`);
  }
  return document;
}
