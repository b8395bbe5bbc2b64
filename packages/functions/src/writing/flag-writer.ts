import { AuditEvent, buildAuditEvent } from '@ffc/audit/events';
import {
  ChangePolicy,
  FlagChange,
  FlagChangeParseError,
  ServiceCatalogue,
  parseFlagChange,
  validateChange,
  validationContextFromStore,
} from '@ffc/rules';
import {
  FlagDocument,
  FlagDocumentTooLargeError,
  FlagNotFoundError,
  FlagStore,
  InvalidFlagInputError,
  VersionConflictError,
  isArchive,
} from '@ffc/store';
import { changedByOf, MalformedWriteRequestError, parseWriteRequest, WriteRequest } from './write-request';
import { CONNECTOR_PREFIX } from '../actors';
import { AuditSink } from '../ports/audit-sink';

/** The actor of the writer's own audit events; the requester is named in the refusal's first message. */
export const WRITER_ACTOR = `${CONNECTOR_PREFIX}flag-writer`;

export interface FlagWriterDeps {
  readonly store: FlagStore;
  readonly audit: AuditSink;
  readonly catalogue: ServiceCatalogue;
  readonly stage: string;
  readonly production: boolean;
  /** The region the writer runs in (the stage's home region), recorded on its audit events. */
  readonly region: string;
  /** Every region the stage serves: last known good is the version verified in all of them. */
  readonly regions: readonly string[];
  /** @default - no windows, no freezes, UTC */
  readonly changePolicy?: ChangePolicy;
}

/** One writer-queue message as SQS delivered it: the body is the sender's, the rest is SQS's own. */
export interface WriterMessage {
  readonly body: string;
  /** SQS's SenderId: the IAM user id, or `<role id>:<session name>`, of the principal that signed SendMessage. */
  readonly senderId: string;
  /** SQS's SentTimestamp: epoch milliseconds at which SQS accepted the message. */
  readonly sentTimestamp: number;
}

export type WriteOutcome =
  | { readonly outcome: 'written'; readonly document: FlagDocument }
  /** A redelivery (or a retry after a crash): this request's version is already in the table. */
  | { readonly outcome: 'already-written'; readonly document: FlagDocument }
  | { readonly outcome: 'rejected'; readonly ruleIds: readonly string[]; readonly messages: readonly string[] };

/** Rule id of a request made on top of a version that is no longer the latest (someone wrote first). */
export const WRITER_CONFLICT_RULE = 'FFC-WRITER-CONFLICT';
/** Rule id of a request the flag model or the store cannot accept as given. */
export const WRITER_MODEL_RULE = 'FFC-MODEL';

/**
 * The flag writer: the one path an operator's change takes into the flag table. Who and when come from SQS,
 * never from the request: `changedBy` from SenderId (the signing principal) and `changedAt` from
 * SentTimestamp, raised to the current version's `changedAt` so a version is never older than the one it
 * replaces (a late delivery cannot backdate a change past the rate rules). The change is then validated like
 * `ffc set` and written with the store's conditional put; a request whose version already landed under its
 * correlation id is a redelivery, not a second version. A refusal is audited as `change.rejected`.
 */
export function createFlagWriter(deps: FlagWriterDeps) {
  const rejected = async (
    request: WriteRequest,
    changedBy: string,
    ruleIds: readonly string[],
    messages: readonly string[],
  ): Promise<WriteOutcome> => {
    const event: AuditEvent = buildAuditEvent(
      {
        stage: deps.stage,
        region: deps.region,
        flagKey: request.flagKey,
        version: request.expectedVersion + 1,
        actor: WRITER_ACTOR,
        correlationId: request.correlationId,
      },
      'change.rejected',
      { ruleIds, messages: [`requested by '${changedBy}'`, ...messages] },
    );
    await deps.audit.record([event]);
    return { outcome: 'rejected', ruleIds, messages };
  };

  /** This request's version, if it already landed: the idempotency check, by correlation id. */
  const landed = async (request: WriteRequest): Promise<FlagDocument | undefined> => {
    const version = await deps.store.getVersion(request.flagKey, request.expectedVersion + 1);
    return version?.correlationId === request.correlationId ? version : undefined;
  };

  const conflict = (request: WriteRequest, changedBy: string, latest: number) =>
    rejected(
      request,
      changedBy,
      [WRITER_CONFLICT_RULE],
      [
        `'${request.flagKey}' is at version ${latest}, not ${request.expectedVersion}: someone changed it meanwhile; run ffc set again`,
      ],
    );

  /** The change as the rules see it, stamped with the system's who and when. */
  const stampedChange = (
    request: Extract<WriteRequest, { action: 'set' }>,
    changedBy: string,
    changedAt: string,
  ): FlagChange =>
    parseFlagChange({
      ...request.change,
      flagKey: request.flagKey,
      stage: deps.stage,
      version: request.expectedVersion + 1,
      kind: 'change',
      changedBy,
      changedAt,
    });

  return {
    async write(message: WriterMessage): Promise<WriteOutcome> {
      const request = parseWriteRequest(message.body);
      const changedBy = changedByOf(message.senderId);
      if (!Number.isFinite(message.sentTimestamp)) {
        throw new MalformedWriteRequestError(`SentTimestamp ${message.sentTimestamp} is not epoch milliseconds`);
      }
      const already = await landed(request);
      if (already) return { outcome: 'already-written', document: already };
      const latest = await deps.store.latestVersion(request.flagKey);
      if (latest !== request.expectedVersion) return conflict(request, changedBy, latest);

      if (request.action === 'archive') {
        try {
          const result = await deps.store.archive(request.flagKey, { ...request, changedBy });
          return { outcome: result.outcome === 'archived' ? 'written' : 'already-written', document: result.document };
        } catch (error) {
          if (error instanceof VersionConflictError) return conflict(request, changedBy, error.latestVersion);
          // Nothing to archive (no flag, or no version yet): the request can never be written.
          if (error instanceof FlagNotFoundError || error instanceof InvalidFlagInputError) {
            return rejected(request, changedBy, [WRITER_MODEL_RULE], [error.message]);
          }
          throw error;
        }
      }

      // An archive tombstone is no previous version to the rules, but its instant still bounds the next one.
      const record = await deps.store.currentRecord(request.flagKey);
      const current = record && !isArchive(record) ? record : undefined;
      const changedAt = new Date(
        Math.max(message.sentTimestamp, record?.changedAt ? Date.parse(record.changedAt) : 0),
      ).toISOString();
      let change: FlagChange;
      try {
        change = stampedChange(request, changedBy, changedAt);
      } catch (error) {
        if (!(error instanceof FlagChangeParseError)) throw error;
        return rejected(request, changedBy, [WRITER_MODEL_RULE], [error.message]);
      }
      const policy = { ...deps, ...deps.changePolicy };
      const verdict = validateChange(change, await validationContextFromStore(deps.store, change, current, policy));
      if (!verdict.valid) {
        const errors = verdict.violations.filter((v) => v.severity === 'error');
        return rejected(
          request,
          changedBy,
          [...new Set(errors.map((v) => v.ruleId))],
          errors.map((v) => `${v.ruleId} ${v.path}: ${v.message}`),
        );
      }
      try {
        const document = await deps.store.put(
          { ...change, correlationId: request.correlationId },
          { expectedVersion: request.expectedVersion },
        );
        return { outcome: 'written', document };
      } catch (error) {
        // What the store refuses before writing (a document over its size limit) no retry can cure.
        if (error instanceof FlagDocumentTooLargeError || error instanceof InvalidFlagInputError) {
          return rejected(request, changedBy, [WRITER_MODEL_RULE], [error.message]);
        }
        if (!(error instanceof VersionConflictError)) throw error;
        // A concurrent delivery of this same request won the race: that is this request written once.
        const winner = await landed(request);
        if (winner) return { outcome: 'already-written', document: winner };
        return conflict(request, changedBy, error.latestVersion);
      }
    },
  };
}
