import { AuditEvent, AuditEventDetails, InvalidAuditEventError, buildAuditEvent } from '@ffc/audit/lib/events';
import { CONNECTOR_IDENTITY_PREFIX, FlagChange, ServiceCatalogue, expectedServices, validateChange } from '@ffc/rules';
import {
  FlagDocument,
  FlagDocumentTooLargeError,
  FlagStore,
  FlagStreamChange,
  InvalidFlagInputError,
  RestoreResult,
  isArchive,
  isStoredVersion,
} from '@ffc/store';
import { canonicalJson } from './canonical-json';
import { changeOf, fallbackCorrelationId, validationContextFromStore } from './store-context';
import { UnprocessableInputError } from '../errors';
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
  /** A redelivered record (or an older version arriving late): this region already published it or a newer one. */
  | { readonly outcome: 'already-published'; readonly services: readonly string[] }
  | { readonly outcome: 'not-for-this-region' }
  | { readonly outcome: 'rejected'; readonly ruleIds: readonly string[]; readonly restore: string };

interface Rejection {
  readonly ruleIds: readonly string[];
  readonly messages: readonly string[];
}

/** Rejection messages in the audit trail are for people (the full text is in the function's log). */
const MAX_MESSAGE_CHARS = 500;

function clip(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/**
 * What the stream validator does with one write to a flag's current document: an operator's change is
 * validated (every region reaches the same verdict: the rules are pure and `now` is the change's own
 * timestamp); an invalid one is never published and the previous value is restored, conditionally, so of
 * twelve regions exactly one restore lands. The validator's own restores and the verifier's rollbacks are
 * published without re-validation, which is what keeps a rejection from looping.
 *
 * Everything is judged before the first side effect, including the audit event (by @ffc/audit's own
 * validator). Each verdict is audited before it is acted on: a retry audits it again under the same event id
 * (a no-op) and finishes the act, so no publication or restore is ever left without its audit event.
 */
export function createStreamValidator(deps: StreamValidatorDeps) {
  function auditEvent<T extends AuditEvent['type']>(
    change: Pick<FlagChange, 'flagKey' | 'version'>,
    correlationId: string,
    type: T,
    details: AuditEventDetails[T],
  ): AuditEvent {
    const { flagKey, version } = change;
    const envelope = { stage: deps.stage, region: deps.region, flagKey, version, actor: deps.actor, correlationId };
    return buildAuditEvent(envelope, type, details);
  }

  async function publish(
    change: FlagChange,
    services: readonly string[],
    correlationId: string,
    published: AuditEvent,
  ): Promise<StreamOutcome> {
    await deps.audit.record([published]);
    // A redelivered record finds its publication recorded: caches would shrug, but verification would run twice.
    if ((await deps.store.publishedVersion(change.flagKey, deps.region)) >= change.version) {
      return { outcome: 'already-published', services };
    }
    await deps.publisher.publish({ change, region: deps.region, services, correlationId });
    await deps.store.recordPublication(change.flagKey, deps.region, change.version);
    return { outcome: 'published', services };
  }

  /** The rejection under the change's own correlation id, or under the derived one when its own is unusable. */
  function rejectionEvent(document: FlagDocument, correlationIds: readonly string[], rejection: Rejection) {
    const details = { ruleIds: rejection.ruleIds, messages: rejection.messages.map(clip) };
    const problems: string[] = [];
    for (const correlationId of new Set(correlationIds)) {
      try {
        return auditEvent(document, correlationId, 'change.rejected', details);
      } catch (error) {
        if (!(error instanceof InvalidAuditEventError)) throw error;
        problems.push(error.message);
      }
    }
    throw new UnprocessableInputError(
      `the rejection of ${document.flagKey} v${document.version} cannot be audited: ${problems.join('; ')}`,
    );
  }

  async function reject(
    stream: FlagStreamChange,
    document: FlagDocument,
    correlationId: string,
    rejection: Rejection,
  ): Promise<StreamOutcome> {
    const ruleIds = [...new Set(rejection.ruleIds)];
    // Every region audits its own verdict (like its publication); exactly one region's restore lands.
    const rejected = rejectionEvent(
      document,
      [correlationId, fallbackCorrelationId(document.flagKey, document.version)],
      { ruleIds, messages: rejection.messages },
    );
    await deps.audit.record([rejected]);
    let result: RestoreResult;
    try {
      result = await deps.store.restore(stream.flagKey, {
        rejectedVersion: document.version,
        previous: stream.oldDocument,
        changedBy: deps.actor,
        correlationId: rejected.correlationId,
      });
    } catch (error) {
      // The store refuses a previous document it cannot write back before it writes anything.
      if (error instanceof InvalidFlagInputError || error instanceof FlagDocumentTooLargeError) {
        throw new UnprocessableInputError(
          `${document.flagKey} v${document.version} was rejected but its previous document cannot be restored: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    return { outcome: 'rejected', ruleIds, restore: result.outcome };
  }

  /**
   * A restore or rollback is published without the rules (a restore must not fail a rate or time rule and
   * loop), so it must prove it is one: written by the connector, reproducing an accepted version exactly.
   */
  async function forgedSystemWrite(document: FlagDocument): Promise<Rejection | undefined> {
    if (!String(document.changedBy ?? '').startsWith(CONNECTOR_IDENTITY_PREFIX)) {
      return {
        ruleIds: ['FFC-VER-007'],
        messages: [
          `a ${document.kind} by '${document.changedBy}': only the connector (${CONNECTOR_IDENTITY_PREFIX}*) restores and rolls back`,
        ],
      };
    }
    const source = isStoredVersion(document.sourceVersion)
      ? await deps.store.getVersion(document.flagKey, document.sourceVersion)
      : null;
    const reproduces =
      source !== null &&
      CONTENT_FIELDS.every((field) => canonicalJson(source[field]) === canonicalJson(document[field]));
    return reproduces
      ? undefined
      : {
          ruleIds: ['FFC-VER-007'],
          messages: [
            `a ${document.kind} must reproduce the accepted version it names (sourceVersion ${JSON.stringify(document.sourceVersion)})`,
          ],
        };
  }

  /**
   * An archive (kind `archive`, written by the store's `archive`) is published as a tombstone to every
   * service any version reached: caches keep its version, so an older delivery cannot bring the flag back.
   * The rules have no archive kind yet, so only its shape is checked here; a malformed one is rejected.
   */
  async function archive(stream: FlagStreamChange, document: FlagDocument): Promise<StreamOutcome> {
    const correlationId = document.correlationId ?? fallbackCorrelationId(document.flagKey, document.version);
    const problems = archiveProblems(document);
    if (problems.length > 0) {
      return reject(stream, document, correlationId, { ruleIds: ['FFC-MODEL'], messages: problems });
    }
    // The publisher port and expectedServices take a FlagChange; of a tombstone they read only its identity and
    // reach, and buildFanOutMessage sends nothing but the identity once it sees `archived`.
    const tombstone = {
      flagKey: document.flagKey,
      stage: deps.stage,
      version: document.version,
      kind: 'archive',
      changedAt: document.changedAt,
      services: document.services,
      regions: document.regions,
      archived: true,
    } as unknown as FlagChange;
    const services = expectedServices(tombstone, deps.region, deps.catalogue);
    if (services.length === 0) return { outcome: 'not-for-this-region' };
    let archived: AuditEvent;
    try {
      archived = auditEvent(document, correlationId, 'flag.archived', {
        archivedVersion: document.version - 1,
        reason: clip(String(document.reason)),
        targetServices: services,
      });
    } catch (error) {
      if (!(error instanceof InvalidAuditEventError)) throw error;
      return reject(stream, document, correlationId, {
        ruleIds: ['FFC-MODEL'],
        messages: error.problems.map((problem) => `audit event: ${problem}`),
      });
    }
    return publish(tombstone, services, correlationId, archived);
  }

  async function violations(change: FlagChange, previous: FlagDocument | undefined): Promise<Rejection | undefined> {
    const verdict = validateChange(change, await validationContextFromStore(deps.store, change, previous, deps));
    if (verdict.valid) return undefined;
    const errors = verdict.violations.filter((v) => v.severity === 'error');
    return { ruleIds: errors.map((v) => v.ruleId), messages: errors.map((v) => `${v.ruleId} ${v.path}: ${v.message}`) };
  }

  return {
    async process(stream: FlagStreamChange): Promise<StreamOutcome | null> {
      const document = stream.newDocument;
      if (!document) return null;
      if (isArchive(document)) return archive(stream, document);
      let parsed: { change: FlagChange; correlationId: string };
      try {
        parsed = changeOf(document);
      } catch (error) {
        // A document the model cannot even read is rejected like any rule violation.
        return reject(stream, document, fallbackCorrelationId(document.flagKey, document.version), {
          ruleIds: ['FFC-MODEL'],
          messages: [(error as Error).message],
        });
      }
      const { change, correlationId } = parsed;
      // Re-creating an archived flag: it replaces nothing the rules could compare with.
      const previous = stream.oldDocument && !isArchive(stream.oldDocument) ? stream.oldDocument : undefined;
      const rejection =
        change.kind === 'change' ? await violations(change, previous) : await forgedSystemWrite(document);
      if (rejection) return reject(stream, document, correlationId, rejection);

      const services = expectedServices(change, deps.region, deps.catalogue);
      if (services.length === 0) return { outcome: 'not-for-this-region' };
      let published: AuditEvent;
      try {
        published = auditEvent(change, correlationId, 'change.published', { targetServices: services });
      } catch (error) {
        if (!(error instanceof InvalidAuditEventError)) throw error;
        // A change that could not be audited is not published (e.g. a correlation id the trail refuses).
        return reject(stream, document, correlationId, {
          ruleIds: ['FFC-MODEL'],
          messages: error.problems.map((problem) => `audit event: ${problem}`),
        });
      }
      return publish(change, services, correlationId, published);
    },
  };
}

/** What an archive must name for caches and verification to act on it (the store's `archive` writes all of it). */
function archiveProblems(document: FlagDocument): string[] {
  const problems: string[] = [];
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  const names = (value: unknown) => Array.isArray(value) && value.every(text);
  if (document.archiveOf !== document.version - 1) {
    problems.push(`an archive of version ${document.version} must name archiveOf ${document.version - 1}`);
  }
  if (!names(document.services) || (document.services as unknown[]).length === 0) {
    problems.push('an archive must list the services the flag reached (services)');
  }
  if (document.regions !== undefined && !names(document.regions)) problems.push('regions must list region names');
  if (!text(document.changedBy) || !text(document.reason)) problems.push('an archive must name changedBy and reason');
  if (typeof document.changedAt !== 'string' || Number.isNaN(Date.parse(document.changedAt))) {
    problems.push('an archive must carry changedAt, an ISO 8601 instant');
  }
  return problems;
}
