import { AuditRecord } from '@ffc/audit';
import { FlagDocument } from '@ffc/store';
import { CELL_LABELS, FlagState, RegionState } from './flag-state';

const json = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));

/** `ffc get`: what the version serves, who wrote it when and why, and whether it is verified. */
export function formatDocument(
  document: FlagDocument,
  facts: { verifiedIn: readonly string[]; regions: readonly string[]; lastKnownGood: FlagDocument | null },
): string {
  const kind =
    document.kind === 'rollback'
      ? `rollback of v${document.rollbackOf} to the content of v${document.sourceVersion}`
      : document.kind === 'restore'
        ? `restore after rejected v${document.restoreOf} (content of v${document.sourceVersion})`
        : (document.kind ?? 'change');
  const unverified = facts.regions.filter((r) => !facts.verifiedIn.includes(r));
  const rows: Array<[string, string]> = [
    ['flag', `${document.flagKey} v${document.version} (${kind})`],
    ['value', json(document.value)],
    ['off value', json(document.offValue)],
    ['services', ((document.services as string[] | undefined) ?? []).join(', ')],
    ['regions', ((document.regions as string[] | undefined) ?? ['every region']).join(', ')],
    ['rollout', json(document.rollout)],
    ['targeting', json(document.targeting)],
    ['changed by', `${String(document.changedBy ?? '-')} at ${String(document.changedAt ?? '-')}`],
    ['reason', `${String(document.reason ?? '-')}${document.ticket ? ` (ticket ${String(document.ticket)})` : ''}`],
    [
      'verified',
      unverified.length === 0 ? `in every region (${facts.regions.length})` : `not in ${unverified.join(', ')}`,
    ],
    [
      'last known good',
      facts.lastKnownGood ? `v${facts.lastKnownGood.version}` : 'none (no version verified in every region)',
    ],
  ];
  return rows.map(([name, value]) => `${name.padEnd(16)} ${value}\n`).join('');
}

function regionLine(r: RegionState, version: number): string {
  const serving =
    r.serving === null ? `?/${r.expected} (not checked yet)` : `${r.serving}/${r.expected} serve v${version}`;
  const verified = r.verified ? 'verified' : `not verified (verified v${r.verifiedVersion || '-'})`;
  const missing = r.notServing.length
    ? `; not serving: ${r.notServing.slice(0, 10).join(', ')}${r.notServing.length > 10 ? ` and ${r.notServing.length - 10} more` : ''}`
    : '';
  return `  ${r.region.padEnd(15)} ${serving.padEnd(26)} ${verified}${missing}\n`;
}

export function incidentLine(e: AuditRecord): string {
  const what = (() => {
    switch (e.type) {
      case 'change.rejected':
        return `rejected: ${e.details.ruleIds.join(', ')}`;
      case 'change.inconsistent':
        return `inconsistent: ${e.details.differences.map((d) => `${d.service} has ${d.observedVersion === null ? 'nothing' : `v${d.observedVersion}`}`).join(', ')}`;
      case 'rollback.started':
        return `rollback started v${e.details.fromVersion} -> v${e.details.toVersion}: ${e.details.reason}`;
      case 'rollback.completed':
        return `rollback completed v${e.details.fromVersion} -> v${e.details.toVersion}`;
      case 'rollback.failed':
        return `rollback failed v${e.details.fromVersion}: ${e.details.error}`;
      case 'alert.raised':
        return `alert (${e.details.severity}): ${e.details.message}`;
      default:
        return e.type;
    }
  })();
  return `  ${e.occurredAt}  ${e.region.padEnd(15)} v${e.version}  ${e.actor}  ${what}\n`;
}

/** `ffc status`: one line per region, then why (incidents), then what cannot be seen. */
export function formatStatus(state: FlagState, withServices: boolean): string {
  const { current } = state;
  const head = `${state.flagKey} v${current.version} in ${state.stage} (${state.where}): ${
    state.converged ? 'converged everywhere' : 'NOT converged'
  }${state.rollbackInProgress ? `; rollback of v${state.rollbackInProgress.fromVersion} in progress (by ${state.rollbackInProgress.changedBy})` : ''}\n`;
  const lkg = `  last known good: ${state.lastKnownGood ? `v${state.lastKnownGood.version}` : 'none'}\n`;
  const regions = state.regions.map((r) => regionLine(r, current.version)).join('');
  const grid = withServices
    ? state.regions
        .map((r) =>
          r.services
            ? `${r.region}:\n${r.services.map((c) => `  ${c.service.padEnd(40)} ${c.state.padEnd(12)} ${c.version === null ? '-' : `v${c.version}`}  ${CELL_LABELS[c.state]}\n`).join('')}`
            : `${r.region}: per-service contents not visible from here\n`,
        )
        .join('')
    : '';
  const incidents = state.incidents.length ? `why:\n${state.incidents.map(incidentLine).join('')}` : '';
  const notes = state.notes.map((n) => `note: ${n}\n`).join('');
  return head + lkg + regions + grid + incidents + notes;
}

export interface FieldChange {
  readonly path: string;
  readonly a: unknown;
  readonly b: unknown;
}

/** Field-by-field differences of two JSON documents, by dotted path; arrays compare whole. */
export function diffDocuments(a: unknown, b: unknown, prefix = ''): FieldChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => diffDocuments(a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, a, b }];
}
