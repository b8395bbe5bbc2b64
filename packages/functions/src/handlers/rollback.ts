import { AuditEvent } from '@ffc/audit/lib/events';
import { FlagStore } from '@ffc/store';
import { ACTORS } from '../actors';
import { countOutcome, publishOutcomes } from '../metrics';
import { AuditSink } from '../ports/audit-sink';
import { auditSinkFromEnv, flagStoreFromEnv, lazy, regionalSettings } from '../runtime';
import { Verdict } from '../verification/consistency';

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
 */
export function createRollbackHandler(deps: () => RollbackDeps) {
  return async (verdict: Verdict): Promise<RollbackResponse> => {
    if (!verdict || typeof verdict.flagKey !== 'string' || !Number.isInteger(verdict.version)) {
      throw new Error('rollback needs a verdict with flagKey and version (the verification state machine sends it)');
    }
    const { store, audit, stage, regions } = deps();
    const event = (type: AuditEvent['type'], details: unknown, idempotencyKey?: string): AuditEvent =>
      ({
        type,
        details,
        stage,
        region: verdict.region,
        flagKey: verdict.flagKey,
        version: verdict.version,
        actor: ACTORS.rollback,
        occurredAt: new Date().toISOString(),
        correlationId: verdict.correlationId,
        idempotencyKey,
      }) as AuditEvent;
    const result = await store.rollback(verdict.flagKey, {
      badVersion: verdict.version,
      regions,
      changedBy: ACTORS.rollback,
      correlationId: verdict.correlationId,
    });
    switch (result.outcome) {
      case 'rolled-back': {
        const toVersion = result.document.version;
        const reason = `${verdict.differences.length} service(s) did not apply version ${verdict.version} in ${verdict.region}`;
        await audit.record([
          event('rollback.started', { fromVersion: verdict.version, toVersion, reason }),
          event('rollback.completed', { fromVersion: verdict.version, toVersion }),
        ]);
        countOutcome('RollbacksCompleted');
        publishOutcomes();
        return { outcome: result.outcome, alert: false, toVersion };
      }
      case 'already-handled':
      case 'superseded':
        // Another region rolled back first, or a newer change replaced the bad one: nothing to do here.
        return { outcome: result.outcome, alert: false };
      default: {
        const message =
          result.outcome === 'no-known-good'
            ? `version ${verdict.version} of '${verdict.flagKey}' is inconsistent and no version is verified in every region`
            : `version ${verdict.version} of '${verdict.flagKey}' is itself a rollback: not rolling back again`;
        await audit.record([
          event('rollback.failed', { fromVersion: verdict.version, toVersion: verdict.version, error: message }),
          event('alert.raised', { severity: 'critical', message }, 'rollback'),
        ]);
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
