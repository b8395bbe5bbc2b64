import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FlagCache, connectRedis, createFlagCache } from '@ffc/cache';
import { FlagDocument, FlagStore, createFlagStore } from '@ffc/store';
import { LocalCloudError } from '../../errors';
import { LocalStage } from '../../stage/local-stage';

/** The change documents the scenarios write: the caller knows the flag model (@ffc/rules), the local cloud does not. */
export interface ChaosChanges {
  /**
   * A change of `flagKey` that passes every rule, without version, kind, changedAt or stage; consecutive
   * steps must differ in value, so a cache holding the wrong write of a version is told apart.
   */
  valid(flagKey: string, step: number): Record<string, unknown>;
}

/** One write a scenario made and DynamoDB acknowledged. */
export interface ChaosWrite {
  readonly flagKey: string;
  readonly version: number;
  readonly correlationId: string;
  readonly region: string;
  readonly value: unknown;
  readonly writtenAt: number;
}

export interface ChaosContextOptions {
  /** How long convergence may take once the fault is over. @default 60 s */
  readonly settleTimeoutMs?: number;
  readonly progress?: (line: string) => void;
}

/** What every scenario needs: writes into any region's replica, reads of every replica and every cache. */
export class ChaosContext {
  readonly writes: ChaosWrite[] = [];
  /** Bad versions a scenario planted (each must end in exactly one rollback), by flag. */
  readonly badVersions = new Map<string, number[]>();
  readonly settleTimeoutMs: number;
  readonly progress: (line: string) => void;
  private readonly stores = new Map<string, FlagStore>();
  private readonly caches = new Map<string, FlagCache>();
  private readonly closers: (() => void)[] = [];
  private flagCount = 0;

  constructor(
    readonly stage: LocalStage,
    readonly changes: ChaosChanges,
    options: ChaosContextOptions = {},
  ) {
    this.settleTimeoutMs = options.settleTimeoutMs ?? 60_000;
    this.progress = options.progress ?? (() => undefined);
  }

  get regions(): readonly string[] {
    return this.stage.regions;
  }

  /** A flag key no earlier run of this stage used. */
  newFlag(label: string): string {
    return `chaos-${label}-${Date.now().toString(36)}${(this.flagCount++).toString(36)}`;
  }

  /** The flag table as one region's replica sees it. */
  store(region: string): FlagStore {
    let store = this.stores.get(region);
    if (!store) {
      const client = DynamoDBDocumentClient.from(this.stage.dynamo(region), {
        marshallOptions: { removeUndefinedValues: true },
      });
      store = createFlagStore({ client, tableName: this.stage.tableName });
      this.stores.set(region, store);
    }
    return store;
  }

  /** One region's Redis, read directly (not through a service's reader). */
  cache(region: string): FlagCache {
    let cache = this.caches.get(region);
    if (!cache) {
      const redis = connectRedis({ url: this.stage.redisUrl(region) } as never);
      this.closers.push(() => void redis.disconnect());
      cache = createFlagCache({ redis, stage: this.stage.options.stage });
      this.caches.set(region, cache);
    }
    return cache;
  }

  services(region: string): readonly string[] {
    return this.stage.services.get(region) ?? [];
  }

  /**
   * Writes step `step` of `flagKey` in `region` as the next version of that region's replica (conditional on
   * it, as every write is), the way `ffc set` does; returns what was written.
   */
  async write(flagKey: string, step: number, region = this.stage.primaryRegion): Promise<ChaosWrite> {
    const store = this.store(region);
    const latest = await store.latestVersion(flagKey);
    const correlationId = randomUUID();
    const change = this.changes.valid(flagKey, step);
    const writtenAt = Date.now();
    const document = {
      ...change,
      flagKey,
      stage: this.stage.options.stage,
      version: latest + 1,
      kind: 'change',
      changedAt: new Date(writtenAt).toISOString(),
      correlationId,
    } as FlagDocument;
    await store.put(document, { expectedVersion: latest });
    this.stage.observer.written(flagKey, document.version, writtenAt);
    const write = { flagKey, version: document.version, correlationId, region, value: change.value, writtenAt };
    this.writes.push(write);
    return write;
  }

  /** Marks a version as bad: the scenario expects it to be rolled back exactly once. */
  expectRollback(flagKey: string, version: number): void {
    this.badVersions.set(flagKey, [...(this.badVersions.get(flagKey) ?? []), version]);
  }

  /** Resolves when every region has verified `version` of `flagKey` (or a newer one). */
  async verified(flagKey: string, version: number, timeoutMs = this.settleTimeoutMs): Promise<void> {
    const timeline = this.stage.observer.timeline(flagKey, version);
    await this.stage.observer.waitFor(
      () => timeline.verified.size === this.regions.length,
      timeoutMs,
      `${flagKey} v${version} verified in ${this.regions.length} regions`,
    );
  }

  /** Polls `read` until it returns a defined value. */
  async until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = this.settleTimeoutMs): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new LocalCloudError(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(200);
    }
  }

  close(): void {
    for (const close of this.closers.splice(0)) close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
