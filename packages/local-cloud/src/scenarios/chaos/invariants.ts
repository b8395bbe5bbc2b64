import { AuditEvent, auditDocumentId, auditIndexPattern } from '@ffc/audit';
import { FlagDocument } from '@ffc/store';
import { ChaosContext, sleep } from './context';

export interface InvariantResult {
  readonly name: InvariantName;
  readonly passed: boolean;
  readonly detail: string;
}

export type InvariantName =
  | 'replicas converge'
  | 'every cache serves the current version'
  | 'no lost change'
  | 'no version served after a newer one'
  | 'one effective rollback per bad change'
  | 'audit events neither lost nor duplicated';

export interface InvariantOptions {
  /** Caches left out of the convergence check (a region that by design never got the change). */
  readonly skipCache?: (region: string, flagKey: string) => boolean;
}

export interface InvariantReport {
  readonly results: InvariantResult[];
  /** ms from the call until replicas and caches agreed (null if they never did). */
  readonly settledMs: number | null;
  readonly auditEvents: number;
  /** Writes dropped by last-writer-wins in favour of a same-version write of another region. */
  readonly overwrittenByLastWriter: number;
}

interface FlagState {
  readonly replicas: Map<string, FlagDocument | null>;
  /** region/service → what its Redis entry and its reader hold, when it disagrees with the table. */
  readonly cacheMismatches: string[];
}

/**
 * The mission's promises, checked over every replica, every cache and the audit history once the fault is
 * over: waits (up to the context's settle timeout) for replicas and caches to agree, then judges.
 */
export async function checkInvariants(
  ctx: ChaosContext,
  flagKeys: readonly string[],
  options: InvariantOptions = {},
): Promise<InvariantReport> {
  const started = Date.now();
  const deadline = started + ctx.settleTimeoutMs;
  let states = await Promise.all(flagKeys.map((flagKey) => flagState(ctx, flagKey, options)));
  while (!states.every(settled) && Date.now() < deadline) {
    await sleep(250);
    states = await Promise.all(flagKeys.map((flagKey) => flagState(ctx, flagKey, options)));
  }
  const settledMs = states.every(settled) ? Date.now() - started : null;
  const results: InvariantResult[] = [];
  const check = (name: InvariantName, problems: string[], ok: string) =>
    results.push({
      name,
      passed: problems.length === 0,
      detail: problems.length ? problems.slice(0, 5).join('; ') : ok,
    });

  const diverged = states.flatMap((s, i) => (converged(s) ? [] : [`${flagKeys[i]}: ${describeReplicas(s)}`]));
  check('replicas converge', diverged, `${flagKeys.length} flags × ${ctx.regions.length} replicas agree`);
  const cacheProblems = states.flatMap((s, i) => s.cacheMismatches.map((m) => `${flagKeys[i]} ${m}`));
  const cacheCount = ctx.regions.reduce((n, r) => n + ctx.services(r).length, 0);
  check('every cache serves the current version', cacheProblems, `${cacheCount} caches × ${flagKeys.length} flags`);

  const histories = new Map<string, Map<string, FlagDocument[]>>();
  for (const flagKey of flagKeys) {
    const byRegion = new Map<string, FlagDocument[]>();
    for (const region of ctx.regions) byRegion.set(region, await ctx.store(region).history(flagKey, { limit: 1000 }));
    histories.set(flagKey, byRegion);
  }

  const lost: string[] = [];
  let overwrittenByLastWriter = 0;
  for (const write of ctx.writes.filter((w) => flagKeys.includes(w.flagKey))) {
    for (const [region, history] of histories.get(write.flagKey)!) {
      const kept = history.find((d) => d.version === write.version);
      if (kept?.correlationId === write.correlationId) continue;
      const winner = ctx.writes.find((w) => w.flagKey === write.flagKey && w.correlationId === kept?.correlationId);
      if (kept && winner && winner.version === write.version) {
        if (region === ctx.stage.primaryRegion) overwrittenByLastWriter++;
        continue;
      }
      lost.push(`${write.flagKey} v${write.version} (${write.region}) missing from ${region}'s history`);
    }
  }
  check('no lost change', lost, `${ctx.writes.filter((w) => flagKeys.includes(w.flagKey)).length} writes kept`);

  const regressions = ctx.stage.observer.regressions.filter((r) => flagKeys.includes(r.flagKey));
  const gaps = flagKeys.flatMap((flagKey) => {
    const versions = histories
      .get(flagKey)!
      .get(ctx.stage.primaryRegion)!
      .map((d) => d.version);
    return versions.every((v, i) => i === 0 || versions[i - 1] === v + 1) ? [] : [`${flagKey} history ${versions}`];
  });
  check(
    'no version served after a newer one',
    [...regressions.map((r) => `${r.service} in ${r.region} served ${r.flagKey} v${r.to} after v${r.from}`), ...gaps],
    'every reader only moved up',
  );

  const rollbackProblems: string[] = [];
  let rollbacks = 0;
  for (const flagKey of flagKeys) {
    const history = histories.get(flagKey)!.get(ctx.stage.primaryRegion)!;
    const bad = ctx.badVersions.get(flagKey) ?? [];
    const done = history.filter((d) => d.kind === 'rollback');
    rollbacks += done.length;
    for (const version of bad) {
      const n = done.filter((d) => d.rollbackOf === version).length;
      if (n !== 1) rollbackProblems.push(`${flagKey} v${version} rolled back ${n} times`);
    }
    for (const d of done.filter((r) => !bad.includes(r.rollbackOf!))) {
      rollbackProblems.push(`${flagKey} v${d.rollbackOf} rolled back (as v${d.version}) though it was good`);
    }
  }
  check('one effective rollback per bad change', rollbackProblems, `${rollbacks} rollback(s), as expected`);

  const audit = await checkAudit(ctx, flagKeys, deadline);
  check('audit events neither lost nor duplicated', audit.problems, `${audit.sent} events, each once in OpenSearch`);
  return { results, settledMs, auditEvents: audit.sent, overwrittenByLastWriter };
}

async function flagState(ctx: ChaosContext, flagKey: string, options: InvariantOptions): Promise<FlagState> {
  const replicas = new Map<string, FlagDocument | null>();
  for (const region of ctx.regions) replicas.set(region, await ctx.store(region).get(flagKey));
  const current = replicas.get(ctx.stage.primaryRegion);
  const cacheMismatches: string[] = [];
  for (const region of ctx.regions) {
    if (options.skipCache?.(region, flagKey)) continue;
    const cache = ctx.cache(region);
    const entries = await Promise.all(ctx.services(region).map((service) => cache.record(service, flagKey)));
    const readers = new Map((ctx.stage.readers.get(region) ?? []).map((r) => [r.service, r]));
    // The same write as the table's, in Redis and in the service's reader: a version alone cannot tell the
    // winner of last-writer-wins from the loser.
    const sameWrite = (held: { version?: number; value?: unknown; correlationId?: string } | undefined) =>
      held?.version === current?.version &&
      JSON.stringify(held?.value) === JSON.stringify(current?.value) &&
      held?.correlationId === current?.correlationId;
    const describeHeld = (held: { version?: number; value?: unknown; correlationId?: string } | undefined) =>
      `v${held?.version} ${JSON.stringify(held?.value)} (${held?.correlationId})`;
    ctx.services(region).forEach((service, i) => {
      const entry = entries[i] as { version?: number; value?: unknown; correlationId?: string } | undefined;
      const reader = readers.get(service);
      const served = reader ? reader.get(flagKey) : entry;
      if (!sameWrite(entry) || !sameWrite(served)) {
        cacheMismatches.push(
          `${service} in ${region}: Redis ${describeHeld(entry)}, reader ${describeHeld(served)}, table ${describeHeld(current ?? undefined)}`,
        );
      }
    });
  }
  return { replicas, cacheMismatches };
}

function converged(state: FlagState): boolean {
  const docs = [...state.replicas.values()];
  return docs.every((d) => d !== null && d.version === docs[0]!.version && d.correlationId === docs[0]!.correlationId);
}

function settled(state: FlagState): boolean {
  return converged(state) && state.cacheMismatches.length === 0;
}

function describeReplicas(state: FlagState): string {
  return [...state.replicas].map(([region, d]) => `${region} v${d?.version} ${d?.correlationId}`).join(', ');
}

/**
 * Every audit event the stage's functions handed to an audit queue for these flags must be in OpenSearch,
 * once: its document id is derived from the event (auditDocumentId), so a copy under another id is a duplicate.
 */
async function checkAudit(
  ctx: ChaosContext,
  flagKeys: readonly string[],
  deadline: number,
): Promise<{ sent: number; problems: string[] }> {
  const stageName = ctx.stage.options.stage;
  const expected = new Map<string, AuditEvent>();
  for (const [queue, bodies] of ctx.stage.observer.queueSends) {
    if (queue !== `${stageName}-audit`) continue;
    for (const body of bodies) {
      const event = JSON.parse(body) as AuditEvent;
      if (flagKeys.includes(event.flagKey)) expected.set(auditDocumentId(event), event);
    }
  }
  let problems: string[] = [];
  do {
    const hits = await searchAudit(ctx.stage.options.engines.opensearchUrl, auditIndexPattern(stageName), flagKeys);
    const found = new Map<string, number>();
    for (const hit of hits) found.set(hit, (found.get(hit) ?? 0) + 1);
    const lost = [...expected.keys()].filter((id) => !found.has(id));
    const duplicated = [...found].filter(([, n]) => n > 1);
    const unexplained = [...found.keys()].filter((id) => !expected.has(id));
    problems = [
      ...(lost.length ? [`${lost.length} lost (${lost.slice(0, 3).map((id) => describe(expected.get(id)!))})`] : []),
      ...(duplicated.length ? [`${duplicated.length} stored more than once`] : []),
      ...(unexplained.length ? [`${unexplained.length} in OpenSearch that no function sent`] : []),
    ];
    if (problems.length === 0 || Date.now() > deadline) break;
    await sleep(1_000);
  } while (Date.now() <= deadline);
  return { sent: expected.size, problems };
}

function describe(event: AuditEvent): string {
  return `${event.type} ${event.flagKey} v${event.version} ${event.region}`;
}

async function searchAudit(url: string, index: string, flagKeys: readonly string[]): Promise<string[]> {
  const response = await fetch(`${url}/${index}/_search?ignore_unavailable=true&allow_no_indices=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 10_000, _source: false, query: { terms: { flagKey: flagKeys } } }),
  });
  if (!response.ok) {
    throw new Error(`OpenSearch search of ${index} failed: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as { hits: { hits: { _id: string }[] } };
  return body.hits.hits.map((hit) => hit._id);
}
