import { AuditEvent } from '@ffc/audit/lib/events';
import { CONNECTOR_IDENTITY_PREFIX, FlagChange, ServiceCatalogue, indexCatalogue, validateChange } from '@ffc/rules';
import { FlagDocument, FlagStore, FlagStreamChange } from '@ffc/store';
import { canonicalJson } from './canonical-json';
import { changeOf, validationContextFromStore } from './store-context';
import { targetServices } from './target-services';
import { AuditSink } from '../ports/audit-sink';
import { ChangePublisher } from '../ports/change-publisher';

/** What a restore or rollback must reproduce exactly from the version it names. */
const CONTENT_FIELDS = ['type', 'value', 'services', 'regions', 'rollout', 'targeting', 'prerequisites'] as const;

export interface StreamValidatorDeps {
  readonly store: FlagStore;
  readonly publisher: ChangePublisher;
  readonly audit: AuditSink;
  readonly catalogue: ServiceCatalogue;
  readonly stage: string;
  readonly production: boolean;
  readonly region: string;
  /** Recorded as the actor of the validator's own writes and audit events. */
  readonly actor: string;
}

export type StreamOutcome =
  | { readonly outcome: 'published'; readonly services: readonly string[] }
  | { readonly outcome: 'not-for-this-region' }
  | { readonly outcome: 'rejected'; readonly ruleIds: readonly string[]; readonly restore: string };

/**
 * What the stream validator does with one write to a flag's current document: an operator's change is
 * validated (every region reaches the same verdict: the rules are pure and `now` is the change's own
 * timestamp); an invalid one is never published and the previous value is restored, conditionally, so of
 * twelve regions exactly one restore lands. The validator's own restores and the verifier's rollbacks are
 * published without re-validation, which is what keeps a rejection from looping.
 */
export function createStreamValidator(deps: StreamValidatorDeps) {
  async function publish(change: FlagChange, correlationId: string): Promise<StreamOutcome> {
    const services = targetServices(change, deps.region, indexCatalogue(deps.catalogue));
    if (services.length === 0) return { outcome: 'not-for-this-region' };
    await deps.publisher.publish({ change, region: deps.region, services, correlationId });
    await deps.audit.record([auditEvent(change, correlationId, 'change.published', { targetServices: services })]);
    return { outcome: 'published', services };
  }

  function auditEvent<T extends AuditEvent['type']>(
    change: Pick<FlagChange, 'flagKey' | 'version'>,
    correlationId: string,
    type: T,
    details: Extract<AuditEvent, { type: T }>['details'],
  ): AuditEvent {
    return {
      type,
      details,
      stage: deps.stage,
      region: deps.region,
      flagKey: change.flagKey,
      version: change.version,
      actor: deps.actor,
      occurredAt: new Date().toISOString(),
      correlationId,
    } as AuditEvent;
  }

  async function reject(
    stream: FlagStreamChange,
    document: FlagDocument,
    correlationId: string,
    ruleIds: string[],
    messages: string[],
  ): Promise<StreamOutcome> {
    const result = await deps.store.restore(stream.flagKey, {
      rejectedVersion: document.version,
      previous: stream.oldDocument,
      changedBy: deps.actor,
      correlationId,
    });
    // Only the region whose restore landed reports it; the others saw the same verdict.
    if (result.outcome !== 'already-handled') {
      await deps.audit.record([auditEvent(document, correlationId, 'change.rejected', { ruleIds, messages })]);
    }
    return { outcome: 'rejected', ruleIds, restore: result.outcome };
  }

  /**
   * A restore or rollback is published without the rules (a restore must not fail a rate or time rule and
   * loop), so it must prove it is one: written by the connector, reproducing an accepted version exactly.
   */
  async function forgedSystemWrite(document: FlagDocument): Promise<{ ruleId: string; message: string } | undefined> {
    if (!String(document.changedBy ?? '').startsWith(CONNECTOR_IDENTITY_PREFIX)) {
      return {
        ruleId: 'FFC-VER-007',
        message: `a ${document.kind} by '${document.changedBy}': only the connector (${CONNECTOR_IDENTITY_PREFIX}*) restores and rolls back`,
      };
    }
    const source =
      document.sourceVersion === undefined
        ? null
        : await deps.store.getVersion(document.flagKey, document.sourceVersion);
    const reproduces =
      source !== null &&
      CONTENT_FIELDS.every((field) => canonicalJson(source[field]) === canonicalJson(document[field]));
    return reproduces
      ? undefined
      : {
          ruleId: 'FFC-VER-007',
          message: `a ${document.kind} must reproduce the accepted version it names (sourceVersion ${document.sourceVersion})`,
        };
  }

  return {
    async process(stream: FlagStreamChange): Promise<StreamOutcome | null> {
      const document = stream.newDocument;
      if (!document) return null;
      const correlationId = document.correlationId ?? `${document.flagKey}@${document.version}`;
      let parsed: { change: FlagChange; correlationId: string };
      try {
        parsed = changeOf(document);
      } catch (error) {
        // A document the model cannot even read is rejected like any rule violation.
        return reject(stream, document, correlationId, ['FFC-MODEL'], [(error as Error).message]);
      }
      const { change } = parsed;
      if (change.kind !== 'change') {
        const forged = await forgedSystemWrite(document);
        return forged
          ? reject(stream, document, parsed.correlationId, [forged.ruleId], [forged.message])
          : publish(change, parsed.correlationId);
      }

      const context = await validationContextFromStore(deps.store, change, stream.oldDocument, deps);
      const verdict = validateChange(change, context);
      if (verdict.valid) return publish(change, parsed.correlationId);
      const errors = verdict.violations.filter((v) => v.severity === 'error');
      return reject(
        stream,
        document,
        parsed.correlationId,
        errors.map((v) => v.ruleId),
        errors.map((v) => `${v.ruleId} ${v.path}: ${v.message}`),
      );
    },
  };
}
