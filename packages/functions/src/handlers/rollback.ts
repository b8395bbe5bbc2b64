import { AuditEventDetails, AuditEventType, buildAuditEvent } from '@ffc/audit/events';
import { assertRegionCode } from '@ffc/identifiers';
import { FlagStore } from '@ffc/store';
import { ACTORS } from '../actors';
import { countOutcome, publishOutcomes } from '../metrics';
import { AuditSink } from '../ports/audit-sink';
import { auditSinkFromEnv, flagStoreFromEnv, lazy, regionalSettings } from '../runtime';
import { Verdict, parseVerdict } from '../verification/consistency';

export interface RollbackDeps {
  readonly store: FlagStore;
  readonly audit: AuditSink;
  readonly stage: string;
  readonly regions: readonly string[];
}

/** What the state machine branches on: `alert` means a person must act (nothing known good, or a rollback failed). */
export interface RollbackResponse {
  readonly outcome: string;
  readonly alert: boolean;
  readonly toVersion?: number;
}

/**
 * Writes last known good back (verified in every region), conditional on the bad version still being
 * current: concurrent regional rollbacks collapse into one, a newer change is never overwritten.
 *
 * The verdict and every audit event it may lead to are judged before the write. The write comes first and
 * its audit second (the audit names the version written); a retry that finds this region's own rollback
 * already current writes the audit again, under the same event ids, so a rollback is never left unaudited.
 */
export function createRollbackHandler(deps: () => RollbackDeps) {
  return async (input: Verdict): Promise<RollbackResponse> => {
    const verdict = parseVerdict(input);
    const { store, audit, stage, regions } = deps();
    const envelope = {
      stage,
      region: verdict.region,
      flagKey: verdict.flagKey,
      version: verdict.version,
      actor: ACTORS.rollback,
      correlationId: verdict.correlationId,
    };
    const event = <T extends AuditEventType>(type: T, details: AuditEventDetails[T], idempotencyKey?: string) =>
      buildAuditEvent(envelope, type, details, idempotencyKey);
    const fromVersion = verdict.version;
    const rolledBack = (toVersion: number) => [
      event('rollback.started', {
        fromVersion,
        toVersion,
        reason: `${verdict.differences.length} service(s) did not apply version ${fromVersion} in ${verdict.region}`,
      }),
      event('rollback.completed', { fromVersion, toVersion }),
    ];
    const alerted = (message: string) => [
      event('rollback.failed', { fromVersion, toVersion: fromVersion, error: message }),
      event('alert.raised', { severity: 'critical', message }, 'rollback'),
    ];
    // Judged now (the region as the table records it, the events as the audit trail takes them), so nothing
    // is refused after the write; the rollback writes version fromVersion + 1.
    assertRegionCode(verdict.region);
    rolledBack(fromVersion + 1);

    const result = await store.rollback(verdict.flagKey, {
      badVersion: fromVersion,
      regions,
      changedBy: ACTORS.rollback,
      correlationId: verdict.correlationId,
      region: verdict.region,
    });
    switch (result.outcome) {
      case 'rolled-back':
      case 'already-handled': {
        const toVersion = result.document.version;
        // Already handled by another region's rollback: that region audits it. By this region's: this is
        // the retry of an attempt that wrote it and then failed, and it finishes the audit.
        if (result.outcome === 'already-handled' && result.document.writtenIn !== verdict.region) {
          return { outcome: result.outcome, alert: false };
        }
        await audit.record(rolledBack(toVersion));
        if (result.outcome === 'rolled-back') countOutcome('RollbacksCompleted');
        publishOutcomes();
        return { outcome: result.outcome, alert: false, toVersion };
      }
      case 'superseded':
        // A newer change replaced the bad one: nothing to do here.
        return { outcome: result.outcome, alert: false };
      default: {
        const message =
          result.outcome === 'no-known-good'
            ? `version ${fromVersion} of '${verdict.flagKey}' is inconsistent and no version is verified in every region`
            : `version ${fromVersion} of '${verdict.flagKey}' is itself a rollback: not rolling back again`;
        await audit.record(alerted(message));
        countOutcome('RollbackAlerts');
        publishOutcomes();
        return { outcome: result.outcome, alert: true };
      }
    }
  };
}

export const handler = createRollbackHandler(
  lazy(() => ({ ...regionalSettings(), store: flagStoreFromEnv(), audit: auditSinkFromEnv() })),
);
