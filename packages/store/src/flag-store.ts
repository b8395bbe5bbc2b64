import {
  DeleteCommand,
  QueryCommand,
  TransactWriteCommand,
  TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { assertFlagKey, assertRegionCode, RegionalFact, regionalFactUpdate } from '@ffc/identifiers';
import { conditionalWrite } from './conditional-write';
import {
  FlagNotFoundError,
  InconsistentFlagTableError,
  InvalidFlagInputError,
  VersionConflictError,
  VersionNotReachedError,
} from './errors';
import {
  asChange,
  FlagDocument,
  isArchive,
  isRollback,
  MAX_DOCUMENT_BYTES,
  normaliseDocument,
  writeBack,
} from './flag-document';
import { createFlagReader, FlagReader, FlagTableAccess } from './flag-reader';
import { currentItem, dependentEdgeItems, historyItem } from './items';
import { assertVersion, CURRENT_SK, flagPk, VERSION_SK_PREFIX, versionSk } from './keys';

export interface FlagStoreOptions extends FlagTableAccess {
  /** @default MAX_DOCUMENT_BYTES (350 KB, under DynamoDB's 400 KB item limit) */
  readonly maxDocumentBytes?: number;
  /** Timestamps of restores, rollbacks and verifications. @default - the system clock */
  readonly now?: () => Date;
}

export interface PutOptions {
  /** The version the change was made on top of: the latest version read, 0 for a new flag. */
  readonly expectedVersion: number;
}

/** Who writes a version back and why; both become fields of the new version. */
export interface WriteBackRequest {
  /** @default 'ffc-validator' for a restore, 'ffc-rollback' for a rollback */
  readonly changedBy?: string;
  readonly correlationId?: string;
  /** The region writing it back, recorded as the new version's `writtenIn`. @default - not recorded */
  readonly region?: string;
}

/** An operator's request to archive a flag (`ffc archive`). */
export interface ArchiveRequest {
  /** The version being archived: the latest version read (`latestVersion`); the write is conditional on it. */
  readonly expectedVersion: number;
  /** Who archives it (the operator or CI identity), recorded on the tombstone and in the audit trail. */
  readonly changedBy: string;
  readonly reason: string;
  /** @default - none: the validator derives `<flagKey>:<version>` */
  readonly correlationId?: string;
  /** @default - none */
  readonly ticket?: string;
}

export type ArchiveResult =
  /** The tombstone was written as version expectedVersion + 1; every region's validator removes the flag. */
  | { readonly outcome: 'archived'; readonly document: FlagDocument }
  /** expectedVersion is already archived, or is the tombstone (a retry, a concurrent archive): nothing written. */
  | { readonly outcome: 'already-archived'; readonly document: FlagDocument };

export interface RestoreRequest extends WriteBackRequest {
  /** The version the validator rejected (the stream record's new image). */
  readonly rejectedVersion: number;
  /** The document before it (the stream record's old image); absent when the rejected change created the flag. */
  readonly previous?: FlagDocument;
}

export type RestoreResult =
  | { readonly outcome: 'restored'; readonly document: FlagDocument }
  | { readonly outcome: 'removed' }
  /** Another region's validator (or a newer change) got there first; nothing to do. */
  | { readonly outcome: 'already-handled'; readonly currentVersion: number | null };

export interface RollbackRequest extends WriteBackRequest {
  /** The version that failed verification. */
  readonly badVersion: number;
  /** Every region the flag is served in: last known good must be verified in all of them. */
  readonly regions: readonly string[];
}

export type RollbackResult =
  | { readonly outcome: 'rolled-back'; readonly document: FlagDocument }
  /** A rollback of the same bad version is current: a concurrent one, or this caller's own earlier attempt. */
  | { readonly outcome: 'already-handled'; readonly currentVersion: number; readonly document: FlagDocument }
  /** A newer change replaced the bad version; it is never overwritten. */
  | { readonly outcome: 'superseded'; readonly currentVersion: number | null }
  /** Nothing is verified in every region below the bad version: the caller raises an alarm. */
  | { readonly outcome: 'no-known-good' }
  /** The bad version is itself a rollback: rolling back again could loop, so the caller raises an alarm. */
  | { readonly outcome: 'bad-version-is-rollback'; readonly document: FlagDocument }
  /** The bad version is an archive: writing the flag back would undo an operator's decision, so the caller raises an alarm. */
  | { readonly outcome: 'bad-version-is-archive'; readonly document: FlagDocument };

export type VerificationResult =
  | { readonly outcome: 'recorded'; readonly verifiedVersion: number }
  /** The region had already verified this or a higher version; the fact never goes down. */
  | { readonly outcome: 'not-newer'; readonly verifiedVersion: number };

export type PublicationResult =
  | { readonly outcome: 'recorded'; readonly publishedVersion: number }
  /** The region had already published this or a higher version. */
  | { readonly outcome: 'not-newer'; readonly publishedVersion: number };

export interface FlagStore extends FlagReader {
  /** Writes an operator's change as version expectedVersion + 1; VersionConflictError when someone wrote first. */
  put(document: FlagDocument, options: PutOptions): Promise<FlagDocument>;
  /**
   * Archives the flag: writes a tombstone as version expectedVersion + 1 (kind `archive`), conditional on
   * expectedVersion being current, naming every service and region any version reached so every cache
   * drops it. `get` then answers null; a later `put` with expectedVersion = the tombstone's version
   * re-creates the flag above it. VersionConflictError when someone wrote first, FlagNotFoundError when
   * the flag has no current document.
   */
  archive(flagKey: string, request: ArchiveRequest): Promise<ArchiveResult>;
  /** Undoes a change the validator rejected, once, however many regions ask. */
  restore(flagKey: string, request: RestoreRequest): Promise<RestoreResult>;
  /** Writes last known good back over a version that failed verification, once, and never over a newer change. */
  rollback(flagKey: string, request: RollbackRequest): Promise<RollbackResult>;
  /** Records that `region` serves `version` correctly; monotonic per region. */
  recordVerification(flagKey: string, region: string, version: number): Promise<VerificationResult>;
  /** Records that `region` handed `version` to its fan-out, so a redelivered stream record is not published again; monotonic per region. */
  recordPublication(flagKey: string, region: string, version: number): Promise<PublicationResult>;
}

/** TransactWriteItems takes 100 items: CURRENT, history and one condition check leave room for this many edges. */
export const MAX_INDEXED_PREREQUISITES = 90;

export function createFlagStore(options: FlagStoreOptions): FlagStore {
  const { client, tableName, maxDocumentBytes = MAX_DOCUMENT_BYTES, now = () => new Date() } = options;
  const reader = createFlagReader({ client, tableName });

  /**
   * CURRENT, its history item and its reverse-index edges in one transaction; CURRENT's condition is the
   * caller's, history's is "new". The edges ride in the same transaction, so no version exists without them.
   */
  const writeVersion = (
    document: FlagDocument,
    currentCondition: string,
    values: Record<string, unknown>,
    extraChecks: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
  ) => {
    const edges = dependentEdgeItems(document);
    if (edges.length > MAX_INDEXED_PREREQUISITES) {
      throw new InvalidFlagInputError(
        `flag '${document.flagKey}' names ${edges.length} distinct prerequisites; the store indexes at most ${MAX_INDEXED_PREREQUISITES} (one transaction holds 100 items)`,
      );
    }
    return conditionalWrite(() =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: currentItem(document),
                ConditionExpression: currentCondition,
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: historyItem(document),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...extraChecks,
            ...edges.map((Item) => ({ Put: { TableName: tableName, Item } })),
          ],
        }),
      ),
    );
  };

  /** After a lost race: the version now current, which decides between "already handled" and an error. */
  const currentAfterLoss = async (flagKey: string, replacedVersion: number) => {
    const current = await reader.currentRecord(flagKey);
    if (current && current.version < replacedVersion) {
      throw new VersionNotReachedError(flagKey, replacedVersion, current.version);
    }
    if (current && current.version === replacedVersion) {
      throw new InconsistentFlagTableError(
        `flag '${flagKey}' is at version ${replacedVersion} but its history already holds version ${replacedVersion + 1}`,
      );
    }
    return current;
  };

  const stamp = (request: WriteBackRequest, fallbackActor: string, reason: string) => ({
    changedBy: request.changedBy ?? fallbackActor,
    changedAt: now().toISOString(),
    correlationId: request.correlationId,
    region: request.region,
    reason,
  });

  /**
   * A per-region fact: one item per region holding the highest version seen there, only ever raised. The
   * write is regionalFactUpdate, the one the verification state machine's RecordVerification task renders.
   */
  const raiseRegionalFact = (flagKey: string, region: string, fact: RegionalFact, version: number) => {
    const update = regionalFactUpdate(fact);
    const key = { pk: flagPk(assertFlagKey(flagKey)), sk: `${update.skPrefix}${assertRegionCode(region)}` };
    assertVersion(version, `${fact} version`);
    return conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: update.updateExpression,
          ConditionExpression: update.conditionExpression,
          ExpressionAttributeNames: { ...update.expressionAttributeNames },
          ExpressionAttributeValues: { ':version': version, ':at': now().toISOString(), ':region': region },
        }),
      ),
    );
  };

  /**
   * Where any version of the flag reached, so an archive removes it from caches a later version narrowed
   * away from too: `['*']` if one version named every service; regions absent if one version had none.
   */
  const everyTarget = async (flagKey: string) => {
    const services = new Set<string>();
    const regions = new Set<string>();
    let everyRegion = false;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': flagPk(flagKey), ':prefix': VERSION_SK_PREFIX },
          ProjectionExpression: '#document.services, #document.regions',
          ExpressionAttributeNames: { '#document': 'document' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const document = (item.document ?? {}) as { services?: unknown; regions?: unknown };
        if (Array.isArray(document.services)) document.services.forEach((s) => services.add(String(s)));
        if (Array.isArray(document.regions)) document.regions.forEach((r) => regions.add(String(r)));
        else everyRegion = true;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return {
      services: services.has('*') ? ['*'] : [...services].sort(),
      regions: everyRegion ? undefined : [...regions].sort(),
    };
  };

  return {
    ...reader,

    async archive(flagKey, request) {
      assertFlagKey(flagKey);
      const expectedVersion = assertVersion(request.expectedVersion, 'expectedVersion');
      for (const field of ['changedBy', 'reason'] as const) {
        if (typeof request[field] !== 'string' || request[field].trim() === '') {
          throw new InvalidFlagInputError(`archiving flag '${flagKey}' needs a non-empty ${field}`);
        }
      }
      const classify = async (): Promise<ArchiveResult | undefined> => {
        const current = await reader.currentRecord(flagKey);
        if (!current) throw new FlagNotFoundError(flagKey, await reader.latestVersion(flagKey));
        // The caller's retry names the version it archived; a fresh read names the tombstone's own.
        if (isArchive(current) && (current.archiveOf === expectedVersion || current.version === expectedVersion)) {
          return { outcome: 'already-archived', document: current };
        }
        if (current.version !== expectedVersion) {
          throw new VersionConflictError(flagKey, expectedVersion, current.version, !isArchive(current));
        }
        return undefined;
      };
      const before = await classify();
      if (before) return before;
      const tombstone = normaliseDocument(
        {
          flagKey,
          version: expectedVersion + 1,
          kind: 'archive',
          archiveOf: expectedVersion,
          ...(await everyTarget(flagKey)),
          changedBy: request.changedBy,
          changedAt: now().toISOString(),
          reason: request.reason,
          ticket: request.ticket,
          correlationId: request.correlationId,
        },
        maxDocumentBytes,
      );
      if (await writeVersion(tombstone, 'version = :expected', { ':expected': expectedVersion })) {
        return { outcome: 'archived', document: tombstone };
      }
      // Lost a race: a concurrent archive of the same version is "already archived", anything else a conflict.
      await currentAfterLoss(flagKey, expectedVersion);
      const after = await classify();
      if (after) return after;
      throw new InconsistentFlagTableError(
        `flag '${flagKey}' refused an archive of its current version ${expectedVersion}`,
      );
    },

    async put(document, { expectedVersion }) {
      assertVersion(expectedVersion, 'expectedVersion', { allowZero: true });
      const change = asChange(normaliseDocument(document, maxDocumentBytes));
      if (change.version !== expectedVersion + 1) {
        throw new InvalidFlagInputError(
          `version of flag '${change.flagKey}' must be expectedVersion + 1 = ${expectedVersion + 1}, got ${change.version}`,
        );
      }
      // With CURRENT absent (a rejected creation was removed) the history must end exactly at expectedVersion.
      const historyEndsAtExpected =
        expectedVersion === 0
          ? []
          : [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: { pk: flagPk(change.flagKey), sk: versionSk(expectedVersion) },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
            ];
      const written = await writeVersion(
        change,
        'attribute_not_exists(pk) OR version = :expected',
        { ':expected': expectedVersion },
        historyEndsAtExpected,
      );
      if (written) return change;
      const [latest, current] = await Promise.all([reader.latestVersion(change.flagKey), reader.get(change.flagKey)]);
      throw new VersionConflictError(change.flagKey, expectedVersion, latest, current !== null);
    },

    async restore(flagKey, request) {
      assertFlagKey(flagKey);
      if (request.region !== undefined) assertRegionCode(request.region);
      const rejectedVersion = assertVersion(request.rejectedVersion, 'rejectedVersion');
      const reason = `version ${rejectedVersion} was rejected by validation`;
      let written: boolean;
      let restored: FlagDocument | undefined;
      // A rejected re-creation of an archived flag leaves it archived: removed, like a rejected creation.
      if (request.previous && !isArchive(request.previous)) {
        const previous = normaliseDocument(request.previous, maxDocumentBytes);
        if (previous.flagKey !== flagKey || previous.version >= rejectedVersion) {
          throw new InvalidFlagInputError(
            `the previous document must be an earlier version of '${flagKey}' than ${rejectedVersion}, got '${previous.flagKey}' version ${previous.version}`,
          );
        }
        restored = writeBack(
          previous,
          'restore',
          rejectedVersion,
          stamp(request, 'ffc-validator', reason),
          maxDocumentBytes,
        );
        written = await writeVersion(restored, 'version = :rejected', { ':rejected': rejectedVersion });
      } else {
        // The rejected change created the flag: remove it; its history stays, so versions still only go up.
        written = await conditionalWrite(() =>
          client.send(
            new DeleteCommand({
              TableName: tableName,
              Key: { pk: flagPk(flagKey), sk: CURRENT_SK },
              ConditionExpression: 'version = :rejected',
              ExpressionAttributeValues: { ':rejected': rejectedVersion },
            }),
          ),
        );
      }
      if (written) return restored ? { outcome: 'restored', document: restored } : { outcome: 'removed' };
      const current = await currentAfterLoss(flagKey, rejectedVersion);
      return { outcome: 'already-handled', currentVersion: current?.version ?? null };
    },

    async rollback(flagKey, request) {
      assertFlagKey(flagKey);
      if (request.region !== undefined) assertRegionCode(request.region);
      const badVersion = assertVersion(request.badVersion, 'badVersion');
      const classify = (current: FlagDocument | null): RollbackResult =>
        current && isRollback(current) && current.rollbackOf === badVersion
          ? { outcome: 'already-handled', currentVersion: current.version, document: current }
          : { outcome: 'superseded', currentVersion: current?.version ?? null };

      const current = await reader.currentRecord(flagKey);
      if (!current || current.version > badVersion) return classify(current);
      if (current.version < badVersion) throw new VersionNotReachedError(flagKey, badVersion, current.version);
      if (isRollback(current)) return { outcome: 'bad-version-is-rollback', document: current };
      if (isArchive(current)) return { outcome: 'bad-version-is-archive', document: current };

      const knownGood = await reader.lastKnownGood(flagKey, request.regions);
      // Known good being "archived" means the flag should not exist: only an operator's archive says so again.
      if (!knownGood || knownGood.version >= badVersion || isArchive(knownGood)) return { outcome: 'no-known-good' };
      const reason = `version ${badVersion} failed verification; version ${knownGood.version} was verified in every region`;
      const rolledBack = writeBack(
        knownGood,
        'rollback',
        badVersion,
        stamp(request, 'ffc-rollback', reason),
        maxDocumentBytes,
      );
      if (await writeVersion(rolledBack, 'version = :bad', { ':bad': badVersion })) {
        return { outcome: 'rolled-back', document: rolledBack };
      }
      return classify(await currentAfterLoss(flagKey, badVersion));
    },

    async recordVerification(flagKey, region, version) {
      if (await raiseRegionalFact(flagKey, region, 'verified', version)) {
        return { outcome: 'recorded', verifiedVersion: version };
      }
      const verified = await reader.verifiedVersions(flagKey, [region]);
      return { outcome: 'not-newer', verifiedVersion: verified[region] };
    },

    async recordPublication(flagKey, region, version) {
      if (await raiseRegionalFact(flagKey, region, 'published', version)) {
        return { outcome: 'recorded', publishedVersion: version };
      }
      return { outcome: 'not-newer', publishedVersion: await reader.publishedVersion(flagKey, region) };
    },
  };
}
