import { randomUUID } from 'node:crypto';
import { AuditEvent } from '@ffc/audit';
import { ACTORS } from '@ffc/functions';
import { FlagDocument, isRollback } from '@ffc/store';
import { auditHistory, FlagNotFoundError, notFound, verifiedRegions } from './flag-state';
import { StageTarget } from './target';
import { setChange } from '../commands/set';

export interface OperatorRollbackRequest {
  readonly flagKey: string;
  /** @default - last known good: the highest version verified in every region */
  readonly to?: number;
  readonly reason: string;
  readonly ticket?: string;
  /** Allows a target that was never verified in every region. */
  readonly force?: boolean;
  /** The operator: the audit events' actor, and changedBy of a rollback to a chosen version (a change). */
  readonly actor: string;
  /** Validate a rollback to a chosen version with the production policy. */
  readonly production?: boolean;
}

export interface OperatorRollbackResult {
  readonly flagKey: string;
  readonly outcome: 'rolled-back' | 'already-rolled-back';
  /** The version that was current and is replaced. */
  readonly fromVersion: number;
  /** The new version, carrying the content of `sourceVersion`. */
  readonly toVersion: number;
  readonly sourceVersion: number;
  /** `store.rollback`: the automatic rollback's conditional write; `change`: a validated change on top of `fromVersion`. */
  readonly path: 'store.rollback' | 'change';
  readonly correlationId?: string;
  readonly audit?: { readonly delivered: boolean; readonly detail: string };
  readonly warnings: readonly string[];
}

/** A rollback refused before anything was written; the message says why and what to do. */
export class RollbackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RollbackRefusedError';
  }
}

/** Fields the store sets on every write; a rollback to a chosen version writes the content only. */
const WRITE_FIELDS = [
  'version',
  'kind',
  'changedAt',
  'correlationId',
  'rollbackOf',
  'restoreOf',
  'sourceVersion',
  'writtenIn',
];

/**
 * Takes the current version back. To last known good it goes through `FlagStore.rollback`, the automatic
 * rollback's own write: conditional on the current version still being current, so it collapses with a
 * concurrent automatic rollback and never overwrites a newer change. To another version (the store's rollback
 * only writes last known good) it is a change on top of the current version, validated like `ffc set` and
 * conditional on that same version.
 */
export async function operatorRollback(
  target: StageTarget,
  request: OperatorRollbackRequest,
): Promise<OperatorRollbackResult> {
  const { flagKey } = request;
  const current = await target.store.get(flagKey);
  if (!current) throw await notFound(target, flagKey);
  if (request.to === undefined && isRollback(current)) {
    throw new RollbackRefusedError(
      `version ${current.version} of '${flagKey}' is the connector's rollback of v${current.rollbackOf} to the content of v${current.sourceVersion}: to replace it, name the version to go back to with --to`,
    );
  }
  const lastKnownGood = await target.store.lastKnownGood(flagKey, target.regions);
  const sourceVersion = request.to ?? lastKnownGood?.version;
  if (sourceVersion === undefined) {
    throw new RollbackRefusedError(
      `no version of '${flagKey}' is verified in every region, so there is no last known good: name one with --to VERSION (and --force)`,
    );
  }
  if (request.to === undefined && sourceVersion === current.version) {
    throw new RollbackRefusedError(
      `version ${current.version} of '${flagKey}' is already last known good (verified in every region): nothing to roll back; name an earlier version with --to`,
    );
  }
  if (sourceVersion >= current.version) {
    throw new RollbackRefusedError(
      `'${flagKey}' is at version ${current.version}: --to must name an earlier version, got ${sourceVersion}`,
    );
  }
  const source = await target.store.getVersion(flagKey, sourceVersion);
  if (!source) throw new FlagNotFoundError(flagKey, target.stage, sourceVersion);
  const warnings: string[] = [];
  if (sourceVersion !== lastKnownGood?.version) {
    const verified = await verifiedRegions(
      target,
      flagKey,
      sourceVersion,
      await auditHistory(target, flagKey, warnings),
    );
    const unverified = target.regions.filter((r) => !verified.includes(r));
    if (unverified.length > 0 && !request.force) {
      throw new RollbackRefusedError(
        `version ${sourceVersion} of '${flagKey}' was never verified in ${unverified.join(', ')}: roll back to last known good (${lastKnownGood ? `version ${lastKnownGood.version}` : 'none'}) or pass --force with a --reason that says why${warnings.map((w) => `; ${w}`).join('')}`,
      );
    }
    if (unverified.length > 0) {
      warnings.push(`version ${sourceVersion} was never verified in ${unverified.join(', ')} (--force)`);
    }
  }
  const reason = `${request.reason}${request.ticket ? ` (ticket ${request.ticket})` : ''}`;
  const viaStore = sourceVersion === lastKnownGood?.version && !isRollback(current);
  const written = viaStore
    ? await rollbackToKnownGood(target, current, request)
    : await rollbackAsChange(target, current, source, request, reason);
  if (written.outcome === 'already-rolled-back') return { ...written, warnings };
  const events = rollbackEvents(target, current, written.toVersion, request.actor, reason, written.correlationId!);
  const audit = await target.audit.record(events);
  return { ...written, audit, warnings };
}

async function rollbackToKnownGood(target: StageTarget, current: FlagDocument, request: OperatorRollbackRequest) {
  const correlationId = randomUUID();
  // The version is the connector's (rule FFC-VER-007: only the connector writes rollbacks, which skip the pace
  // rules); the operator who asked for it is the actor of its audit events.
  const result = await target.store.rollback(request.flagKey, {
    badVersion: current.version,
    regions: target.regions,
    changedBy: ACTORS.rollback,
    correlationId,
  });
  const base = { flagKey: request.flagKey, fromVersion: current.version, path: 'store.rollback' as const };
  switch (result.outcome) {
    case 'rolled-back':
      return {
        ...base,
        outcome: 'rolled-back' as const,
        toVersion: result.document.version,
        sourceVersion: result.document.sourceVersion!,
        correlationId,
      };
    case 'already-handled':
      // The automatic rollback (or another operator) got there first: the same bad version, rolled back once.
      return {
        ...base,
        outcome: 'already-rolled-back' as const,
        toVersion: result.document.version,
        sourceVersion: result.document.sourceVersion!,
        correlationId: result.document.correlationId,
      };
    case 'superseded':
      throw new RollbackRefusedError(
        `'${request.flagKey}' moved on to version ${result.currentVersion} while this rollback was prepared: nothing written (a newer change is never overwritten); check ffc status and run again`,
      );
    default:
      throw new RollbackRefusedError(`the store refused the rollback of '${request.flagKey}': ${result.outcome}`);
  }
}

async function rollbackAsChange(
  target: StageTarget,
  current: FlagDocument,
  source: FlagDocument,
  request: OperatorRollbackRequest,
  reason: string,
) {
  const content: Record<string, unknown> = { ...source };
  for (const field of WRITE_FIELDS) delete content[field];
  try {
    const written = await setChange(
      target.store,
      {
        ...content,
        // Conditional on the version the operator saw: a change written meanwhile is refused, not overwritten.
        version: current.version + 1,
        changedBy: request.actor,
        reason: `rollback to version ${source.version}: ${reason}`,
        ...(request.ticket ? { ticket: request.ticket } : {}),
      },
      `version ${source.version}`,
      { stage: target.stage, production: request.production },
    );
    return {
      flagKey: request.flagKey,
      outcome: 'rolled-back' as const,
      fromVersion: current.version,
      toVersion: written.version,
      sourceVersion: source.version,
      path: 'change' as const,
      correlationId: written.correlationId,
    };
  } catch (error) {
    const violations = (error as { violations?: { ruleId: string; message: string }[] }).violations ?? [];
    throw new RollbackRefusedError(
      `${(error as Error).message}${violations.map((v) => `\n  ${v.ruleId}: ${v.message}`).join('')}`,
    );
  }
}

/** The automatic rollback's two events, with the operator as actor. */
function rollbackEvents(
  target: StageTarget,
  current: FlagDocument,
  toVersion: number,
  actor: string,
  reason: string,
  correlationId: string,
): AuditEvent[] {
  const common = {
    stage: target.stage,
    // The operator acts on the global table, not in one region.
    region: 'global',
    flagKey: current.flagKey,
    version: current.version,
    actor,
    occurredAt: new Date().toISOString(),
    correlationId,
  };
  return [
    { ...common, type: 'rollback.started', details: { fromVersion: current.version, toVersion, reason } },
    { ...common, type: 'rollback.completed', details: { fromVersion: current.version, toVersion } },
  ];
}
