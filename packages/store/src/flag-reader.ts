import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { assertFlagKey, assertRegionCode } from '@ffc/identifiers';
import { InvalidFlagInputError } from './errors';
import { FlagDocument, isArchive } from './flag-document';
import { documentOf } from './items';
import {
  assertVersion,
  CURRENT_SK,
  DEPENDENT_SK_PREFIX,
  flagPk,
  isStoredVersion,
  publishedSk,
  VERIFIED_SK_PREFIX,
  verifiedSk,
  VERSION_SK_PREFIX,
  versionSk,
} from './keys';

/** Where the store's items live; every read is strongly consistent, because writes are conditional on what was read. */
export interface FlagTableAccess {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export interface HistoryOptions {
  /** @default 20 */
  readonly limit?: number;
}

/** The highest version verified in one region (0 when the region has verified none). */
export type VerifiedVersions = Readonly<Record<string, number>>;

export interface FlagReader {
  /** The current document, or null when the flag does not exist, is archived, or its rejected creation was removed. */
  get(flagKey: string): Promise<FlagDocument | null>;
  /** What the flag's current item holds, an archive tombstone (kind `archive`) included; null when it has none. */
  currentRecord(flagKey: string): Promise<FlagDocument | null>;
  getVersion(flagKey: string, version: number): Promise<FlagDocument | null>;
  /** Every accepted write, newest first. */
  history(flagKey: string, options?: HistoryOptions): Promise<FlagDocument[]>;
  /** What the next `put` must name as `expectedVersion`: the highest version ever written, 0 for a new flag. */
  latestVersion(flagKey: string): Promise<number>;
  /** The highest version verified in each listed region (0 where none is). */
  verifiedVersions(flagKey: string, regions: readonly string[]): Promise<VerifiedVersions>;
  /** The highest version `region` handed to its fan-out (0 when none). */
  publishedVersion(flagKey: string, region: string): Promise<number>;
  /** The highest version verified in EVERY listed region, or null when some region has verified none. */
  lastKnownGood(flagKey: string, regions: readonly string[]): Promise<FlagDocument | null>;
  /**
   * The current documents of the flags whose prerequisites name `flagKey` (archived ones excluded): one query
   * of the reverse index, then each candidate's current item, which confirms it still names the flag.
   */
  dependents(flagKey: string): Promise<FlagDocument[]>;
}

export function createFlagReader({ client, tableName }: FlagTableAccess): FlagReader {
  const getItem = async (flagKey: string, sk: string) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: flagPk(assertFlagKey(flagKey)), sk }, ConsistentRead: true }),
    );
    return Item;
  };

  const queryPrefix = async (flagKey: string, prefix: string, newestFirst: boolean, limit?: number) => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': flagPk(assertFlagKey(flagKey)), ':prefix': prefix },
          ScanIndexForward: !newestFirst,
          ConsistentRead: true,
          Limit: limit === undefined ? undefined : limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (limit === undefined || items.length < limit));
    return items;
  };

  const reader: FlagReader = {
    get: async (flagKey) => {
      const current = await reader.currentRecord(flagKey);
      // An archived flag does not exist for its readers (a change creates it anew, on top of the tombstone).
      return current && isArchive(current) ? null : current;
    },

    currentRecord: async (flagKey) => documentOf(await getItem(flagKey, CURRENT_SK)),

    getVersion: async (flagKey, version) =>
      documentOf(await getItem(flagKey, versionSk(assertVersion(version, 'version')))),

    history: async (flagKey, { limit = 20 } = {}) => {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidFlagInputError(`history limit must be a positive integer, got ${JSON.stringify(limit)}`);
      }
      const items = await queryPrefix(flagKey, VERSION_SK_PREFIX, true, limit);
      return items.map((item) => documentOf(item) as FlagDocument);
    },

    latestVersion: async (flagKey) => (await reader.history(flagKey, { limit: 1 }))[0]?.version ?? 0,

    verifiedVersions: async (flagKey, regions) => {
      const wanted = assertRegions(regions);
      const items = await queryPrefix(flagKey, VERIFIED_SK_PREFIX, false);
      // A fact written outside the store ("0x10", -1, a string) proves nothing: that region counts as unverified.
      const bySk = new Map(items.map((item) => [item.sk, storedVersionOr0(item.verifiedVersion)]));
      return Object.fromEntries(wanted.map((region) => [region, bySk.get(verifiedSk(region)) ?? 0]));
    },

    publishedVersion: async (flagKey, region) =>
      storedVersionOr0((await getItem(flagKey, publishedSk(assertRegionCode(region))))?.publishedVersion),

    lastKnownGood: async (flagKey, regions) => {
      const verified = Object.values(await reader.verifiedVersions(flagKey, regions));
      const everywhere = Math.min(...verified);
      return everywhere > 0 ? reader.getVersion(flagKey, everywhere) : null;
    },

    dependents: async (flagKey) => {
      const edges = await queryPrefix(flagKey, DEPENDENT_SK_PREFIX, false);
      const candidates = await Promise.all(edges.map((edge) => reader.get(String(edge.dependent))));
      return candidates.filter((document): document is FlagDocument => namesPrerequisite(document, flagKey));
    },
  };
  return reader;
}

function namesPrerequisite(document: FlagDocument | null, flagKey: string): boolean {
  const prerequisites = document?.prerequisites;
  return Array.isArray(prerequisites) && prerequisites.some((p) => (p as { flagKey?: unknown })?.flagKey === flagKey);
}

function storedVersionOr0(version: unknown): number {
  return isStoredVersion(version) ? version : 0;
}

function assertRegions(regions: readonly string[]): string[] {
  if (!Array.isArray(regions) || regions.length === 0) {
    throw new InvalidFlagInputError('name at least one region: last known good is verified in every listed region');
  }
  return [...new Set(regions.map(assertRegionCode))];
}
