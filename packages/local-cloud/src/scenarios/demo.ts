import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FlagStore, createFlagStore } from '@ffc/store';
import { LocalStage } from '../stage/local-stage';
import { VersionTimeline } from '../stage/observer';

/** The mission's budgets per hop, in ms. */
export const HOP_SLOS_MS = {
  stream: 500,
  validation: 2_000,
  fanOut: 1_000,
  allCaches: 3_000,
  verification: 15_000,
  consistency: 5_000,
  rollback: 8_000,
} as const;
export type Hop = keyof typeof HOP_SLOS_MS;

export interface ScenarioResult {
  readonly name: string;
  readonly passed: boolean;
  readonly expected: string;
  readonly observed: string;
}

export interface DemoReport {
  readonly scenarios: ScenarioResult[];
  readonly hops: Record<Hop, { p50_ms: number | null; p99_ms: number | null; slo_ms: number }>;
  readonly change_to_all_caches_ms: number | null;
  readonly regions: number;
  readonly services_per_region: number;
  readonly wait_scale: number;
}

/** How the demo writes: through the operator's path (validated) and around it (as a rogue writer would). */
export interface DemoWriters {
  /** The changes the scenarios make, each a full change document without version. */
  readonly validChange: (step: number) => Record<string, unknown>;
  readonly invalidChange: () => Record<string, unknown>;
  readonly flagKey: string;
  /** `ffc set`: validate, then write the next version; returns what it wrote. */
  set(change: Record<string, unknown>): Promise<{ version: number; correlationId: string }>;
}

export interface DemoOptions {
  readonly progress?: (line: string) => void;
  /** Per scenario. @default 60 s */
  readonly timeoutMs?: number;
}

/** Runs the three scenarios of the README's main job on a running local stage and measures every hop. */
export async function runDemo(stage: LocalStage, writers: DemoWriters, options: DemoOptions = {}): Promise<DemoReport> {
  const progress = options.progress ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const store = storeOf(stage);
  const hops: Record<Hop, number[]> = {
    stream: [],
    validation: [],
    fanOut: [],
    allCaches: [],
    verification: [],
    consistency: [],
    rollback: [],
  };
  const expectedServices = [...stage.services.values()].reduce((n, s) => n + s.length, 0);
  const servedEverywhere = (version: number) => () =>
    [...stage.services].every(([region, services]) =>
      services.every((service) => stage.observer.servedVersion(region, service, writers.flagKey) === version),
    );
  const report = (line: string) => progress(line);
  const ticker = (version: number) =>
    setInterval(() => {
      const t = stage.observer.timeline(writers.flagKey, version);
      const parts = stage.regions.map(
        (r) =>
          `${r} ${t.served.get(r)?.size ?? 0}/${stage.services.get(r)?.length ?? 0}${t.verified.has(r) ? ' ✓' : ''}`,
      );
      report(`  v${version}: ${parts.join('  ')}`);
    }, 1_000);
  const scenarios: ScenarioResult[] = [];
  const run = async (name: string, expected: string, body: () => Promise<string>) => {
    report(`▶ ${name}`);
    try {
      const observed = await body();
      scenarios.push({ name, passed: true, expected, observed });
      report(`✔ ${name}: ${observed}`);
    } catch (error) {
      scenarios.push({ name, passed: false, expected, observed: (error as Error).message });
      report(`✘ ${name}: ${(error as Error).message}`);
    }
  };

  const timeOf = (t: VersionTimeline) => {
    const written = t.writtenAt!;
    for (const region of stage.regions) {
      const delivered = t.streamDelivered.get(region);
      const published = t.published.get(region);
      if (delivered !== undefined) hops.stream.push(delivered - written);
      if (delivered !== undefined && published !== undefined) hops.validation.push(published - delivered);
      const served = [...(t.served.get(region)?.values() ?? [])];
      if (published !== undefined && served.length) hops.fanOut.push(Math.min(...served) - published);
    }
    const all = [...t.served.values()].flatMap((m) => [...m.values()]);
    return all.length === expectedServices ? Math.max(...all) - written : null;
  };
  const verificationHops = (t: VersionTimeline) => {
    for (const [region, verified] of t.verified) {
      const published = t.published.get(region);
      if (published !== undefined) hops.verification.push(verified - published);
    }
  };
  let changeToAllCaches: number | null = null;

  // 1. A valid change to every service: applied in every cache, verified everywhere, last known good moves.
  await run(
    'valid change reaches every cache and is verified',
    `all ${expectedServices} caches serve it, verified in ${stage.regions.length} regions, last known good = it`,
    async () => {
      const started = Date.now();
      const { version } = await writers.set(writers.validChange(1));
      stage.observer.written(writers.flagKey, version, started);
      const tick = ticker(version);
      try {
        await stage.observer.waitFor(servedEverywhere(version), timeoutMs, `version ${version} in every cache`);
        const t = stage.observer.timeline(writers.flagKey, version);
        changeToAllCaches = timeOf(t);
        hops.allCaches.push(changeToAllCaches ?? NaN);
        await stage.observer.waitFor(
          () => t.verified.size === stage.regions.length,
          timeoutMs,
          `version ${version} verified in every region`,
        );
        verificationHops(t);
        const lastKnownGood = await waitForValue(
          () => store.lastKnownGood(writers.flagKey, stage.regions).then((d) => d?.version),
          version,
          timeoutMs,
        );
        consistencyHops(stage, hops, started);
        return `${expectedServices} caches in ${changeToAllCaches} ms; verified in ${t.verified.size} regions; last known good v${lastKnownGood}`;
      } finally {
        clearInterval(tick);
      }
    },
  );

  // 2. An invalid change written around the CLI: rejected everywhere, restored once, no cache serves it.
  await run(
    'invalid change is rejected and restored once',
    'no cache serves the invalid version; exactly one restore; the value served is unchanged',
    async () => {
      const before = await store.get(writers.flagKey);
      const invalid = {
        ...writers.invalidChange(),
        version: before!.version + 1,
        changedAt: new Date().toISOString(),
        correlationId: `demo-invalid-${Date.now()}`,
      };
      const started = Date.now();
      await store.put(invalid as never, { expectedVersion: before!.version });
      stage.observer.written(writers.flagKey, before!.version + 1, started);
      const restored = await waitForValue(
        async () => {
          const current = await store.get(writers.flagKey);
          return current && current.version > invalid.version ? current.version : undefined;
        },
        undefined,
        timeoutMs,
      );
      await stage.observer.waitFor(servedEverywhere(restored!), timeoutMs, `the restore (v${restored}) in every cache`);
      const history = await store.history(writers.flagKey);
      const restores = history.filter((d) => d.kind === 'restore' && d.version > invalid.version).length;
      const servedInvalid = [...stage.observer.timeline(writers.flagKey, invalid.version).served.values()].reduce(
        (n, m) => n + m.size,
        0,
      );
      if (restores !== 1) throw new Error(`${restores} restores written, expected exactly 1`);
      if (servedInvalid !== 0) throw new Error(`${servedInvalid} caches served the invalid version ${invalid.version}`);
      return `v${invalid.version} rejected in every region, restored once as v${restored} in ${Date.now() - started} ms, served by no cache`;
    },
  );

  // 3. One service in one region fails to apply: detected, rolled back once, every cache back on known good.
  await run(
    'a service that fails to apply triggers exactly one rollback',
    'the consistency check names that one service; one rollback to last known good; every cache serves it',
    async () => {
      const goodBefore = await store.lastKnownGood(writers.flagKey, stage.regions);
      const region = stage.regions[stage.regions.length - 1];
      const service = stage.services.get(region)![0];
      const next = (await store.latestVersion(writers.flagKey)) + 1;
      stage.faults.push({ region, service, matches: (m) => m.flagKey === writers.flagKey && m.version === next });
      const started = Date.now();
      const { version } = await writers.set(writers.validChange(2));
      stage.observer.written(writers.flagKey, version, started);
      const rolledBack = await waitForValue(
        async () => {
          const current = await store.get(writers.flagKey);
          return current && current.kind === 'rollback' && current.version > version ? current.version : undefined;
        },
        undefined,
        timeoutMs,
      );
      await stage.observer.waitFor(
        servedEverywhere(rolledBack!),
        timeoutMs,
        `the rollback (v${rolledBack}) in every cache`,
      );
      const rollbackServed = Date.now();
      const detected = stage.observer.invocations.find(
        (i) => i.functionName.endsWith('-rollback') && i.startedAt >= started,
      );
      if (detected) hops.rollback.push(rollbackServed - detected.startedAt);
      consistencyHops(stage, hops, started);
      const history = await store.history(writers.flagKey);
      const rollbacks = history.filter((d) => d.kind === 'rollback' && d.version > version);
      if (rollbacks.length !== 1) throw new Error(`${rollbacks.length} rollbacks written, expected exactly 1`);
      const current = await store.get(writers.flagKey);
      if (JSON.stringify(current!.value) !== JSON.stringify(goodBefore!.value)) {
        throw new Error('the rollback did not restore the last known good value');
      }
      return `${service} in ${region} missed v${version}; one rollback to the value of v${goodBefore!.version} (as v${rolledBack}); all caches back in ${rollbackServed - (detected?.startedAt ?? started)} ms after detection`;
    },
  );

  const services = stage.services.get(stage.primaryRegion)?.length ?? 0;
  return {
    scenarios,
    hops: Object.fromEntries(
      (Object.keys(HOP_SLOS_MS) as Hop[]).map((hop) => [
        hop,
        { p50_ms: percentile(hops[hop], 0.5), p99_ms: percentile(hops[hop], 0.99), slo_ms: HOP_SLOS_MS[hop] },
      ]),
    ) as DemoReport['hops'],
    change_to_all_caches_ms: changeToAllCaches,
    regions: stage.regions.length,
    services_per_region: services,
    wait_scale: stage.options.waitScale ?? 1,
  };
}

function consistencyHops(stage: LocalStage, hops: Record<Hop, number[]>, since: number): void {
  for (const i of stage.observer.invocations) {
    if (i.startedAt >= since && i.functionName.endsWith('-consistency-checker')) {
      hops.consistency.push(i.endedAt - i.startedAt);
    }
  }
}

function storeOf(stage: LocalStage): FlagStore {
  const client = DynamoDBDocumentClient.from(stage.dynamo(stage.primaryRegion), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return createFlagStore({ client, tableName: stage.tableName });
}

async function waitForValue<T>(
  read: () => Promise<T | undefined>,
  expected: T | undefined,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (expected === undefined ? value !== undefined : value === expected) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out: read ${String(value)}, expected ${expected === undefined ? 'a value' : String(expected)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
