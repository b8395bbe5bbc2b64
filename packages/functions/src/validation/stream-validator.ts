import { AuditEvent, AuditEventDetails, InvalidAuditEventError, buildAuditEvent } from '@ffc/audit/events';
import {
  CONNECTOR_IDENTITY_PREFIX,
  ChangePolicy,
  FlagChange,
  ServiceCatalogue,
  archiveChangeOf,
  changeOf,
  expectedServices,
  fallbackCorrelationId,
  validateChange,
  validationContextFromStore,
} from '@ffc/rules';
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
import { UnprocessableInputError } from '../errors';
import { AuditSink } from '../ports/audit-sink';
import { ChangePublisher } from '../ports/change-publisher';

/** What a restore or rollback must reproduce exactly from the version it names. */
const CONTENT_FIELDS = ['type', 'value', 'services', 'regions', 'rollout', 'targeting', 'prerequisites'] as const;

export interface StreamValidatorDeps {
  /** The flag table (its reverse index tells the rules who depends on a changed flag). */
  readonly store: FlagStore;
  readonly publisher: ChangePublisher;
  readonly audit: AuditSink;
  readonly catalogue: ServiceCatalogue;
  readonly stage: string;
  readonly production: boolean;
  readonly region: string;
  /**
   * Every region the stage serves: last known good is the version verified in all of them.
   * @default - this region only (a one-region stage)
   */
  readonly regions?: readonly string[];
  /**
   * The stage's change windows, freezes and their time zone, as its configuration declares them.
   * @default - no windows, no freezes, UTC
   */
  readonly changePolicy?: ChangePolicy;
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
 * timestamp, which the flag writer stamps from SQS, as it stamps changedBy from the signing identity: only
 * the writer and the connector's functions may write the table); an invalid one is never published and the previous value is restored, conditionally, so of
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
    replaces?: string,
  ): Promise<StreamOutcome> {
    await deps.audit.record([published]);
    // A redelivered record finds its publication recorded: caches would shrug, but verification would run twice.
    // A replacement shares its version with the publication it replaces, so only a newer one makes it moot.
    const publishedVersion = await deps.store.publishedVersion(change.flagKey, deps.region);
    if (publishedVersion > change.version || (publishedVersion === change.version && replaces === undefined)) {
      return { outcome: 'already-published', services };
    }
    await deps.publisher.publish({ change, region: deps.region, services, correlationId, replaces });
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
   * A malformed one is rejected; a well-formed one is judged by the rules as the archived content at the
   * archive's version (who depends on it, whether it serves one value to everyone).
   */
  async function archive(stream: FlagStreamChange, document: FlagDocument): Promise<StreamOutcome> {
    const correlationId = document.correlationId ?? fallbackCorrelationId(document.flagKey, document.version);
    const problems = archiveProblems(document);
    if (problems.length > 0) {
      return reject(stream, document, correlationId, { ruleIds: ['FFC-MODEL'], messages: problems });
    }
    const current = stream.oldDocument && !isArchive(stream.oldDocument) ? stream.oldDocument : undefined;
    const change = current && archiveChangeOf(document, current);
    const rejection = change && (await violations(change, current, true));
    if (rejection) return reject(stream, document, correlationId, rejection);
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

  /** The accepted version a change follows (none before a creation). */
  async function versionBefore(change: FlagChange): Promise<FlagDocument | null> {
    return change.version > 1 ? deps.store.getVersion(change.flagKey, change.version - 1) : null;
  }

  async function violations(
    change: FlagChange,
    previous: FlagDocument | undefined,
    archiving = false,
  ): Promise<Rejection | undefined> {
    const policy = { ...deps, ...deps.changePolicy, regions: deps.regions ?? [deps.region] };
    const context = await validationContextFromStore(deps.store, change, previous, policy, { archiving });
    const verdict = validateChange(change, context);
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
      // Another region's write of this version won last-writer-wins here: it is judged against (and a
      // rejection restores) the version before it, not the losing write it displaced.
      const replaces = lastWriterReplaced(stream);
      const judged = replaces ? { ...stream, oldDocument: (await versionBefore(change)) ?? undefined } : stream;
      // Re-creating an archived flag: it replaces nothing the rules could compare with.
      const previous = judged.oldDocument && !isArchive(judged.oldDocument) ? judged.oldDocument : undefined;
      const rejection =
        change.kind === 'change'
          ? (backdated(change, judged.oldDocument) ?? (await violations(change, previous)))
          : await forgedSystemWrite(document);
      if (rejection) return reject(judged, document, correlationId, rejection);

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
      return publish(change, services, correlationId, published, replaces);
    },
  };
}

/**
 * The correlation id of the write a MODIFY displaced at the same version: two regions each accepted that
 * version within the replication lag, and last-writer-wins kept the other region's write in this replica
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html).
 */
function lastWriterReplaced(stream: FlagStreamChange): string | undefined {
  const { oldDocument: old, newDocument: current } = stream;
  if (!old || !current || old.version !== current.version) return undefined;
  const oldId = old.correlationId ?? fallbackCorrelationId(old.flagKey, old.version);
  const currentId = current.correlationId ?? fallbackCorrelationId(current.flagKey, current.version);
  return oldId === currentId ? undefined : oldId;
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

/**
 * The flag writer never stamps a change earlier than the version it replaces (README, "Who wrote this
 * change"); one that is did not come through it, and would pass the rate rules with a `now` of its choosing.
 */
function backdated(change: FlagChange, replaced: FlagDocument | undefined): Rejection | undefined {
  const before = replaced?.changedAt;
  if (typeof before !== 'string' || !(Date.parse(change.changedAt) < Date.parse(before))) return undefined;
  return {
    ruleIds: ['FFC-MODEL'],
    messages: [
      `changedAt ${change.changedAt} is earlier than version ${replaced?.version}'s ${before}: changes are stamped by the flag writer, never backdated`,
    ],
  };
}
