import { isRollback } from '@ffc/store';
import { FlagState, readFlagState } from './flag-state';
import { StageTarget } from './target';

/** What `ffc watch` reports while it follows one version. */
export type WatchEvent =
  | {
      readonly type: 'progress';
      readonly version: number;
      readonly region: string;
      readonly serving: number | null;
      readonly expected: number;
      readonly verified: boolean;
      readonly notServing: readonly string[];
    }
  | { readonly type: 'verified'; readonly version: number; readonly region: string }
  | {
      readonly type: 'rolled-back';
      readonly version: number;
      readonly toVersion: number;
      readonly sourceVersion: number;
      readonly by: string;
    }
  | { readonly type: 'superseded'; readonly version: number; readonly byVersion: number }
  | { readonly type: 'converged'; readonly version: number }
  | { readonly type: 'timed-out'; readonly version: number; readonly afterSeconds: number };

export type WatchOutcome = Extract<WatchEvent, { type: 'rolled-back' | 'superseded' | 'converged' | 'timed-out' }>;

export interface WatchOptions {
  readonly timeoutMs: number;
  /** @default 500 ms against a local stage, 5 s against a deployed one (each poll queries the audit history) */
  readonly intervalMs?: number;
  readonly onEvent: (event: WatchEvent, state: FlagState | undefined) => void;
}

/**
 * Follows the flag's current version until every expected service in every region serves it and every
 * region verified it, until it is rolled back or replaced, or until the timeout: polls the same state as
 * `ffc status` and reports what changed since the last poll.
 */
export async function watchFlag(target: StageTarget, flagKey: string, options: WatchOptions): Promise<WatchOutcome> {
  const interval = options.intervalMs ?? (target.where === 'local' ? 500 : 5_000);
  const started = Date.now();
  let state = await readFlagState(target, flagKey);
  const version = state.current.version;
  const last = new Map<string, string>();
  const verified = new Set(state.regions.filter((r) => r.verified).map((r) => r.region));
  for (;;) {
    for (const r of state.regions) {
      const progress = { version, region: r.region, serving: r.serving, expected: r.expected, verified: r.verified };
      const key = JSON.stringify(progress);
      if (last.get(r.region) !== key) {
        last.set(r.region, key);
        options.onEvent({ type: 'progress', ...progress, notServing: r.notServing }, state);
      }
      if (r.verified && !verified.has(r.region)) {
        verified.add(r.region);
        options.onEvent({ type: 'verified', version, region: r.region }, state);
      }
    }
    if (state.converged) return finish({ type: 'converged', version }, state);
    if (Date.now() - started >= options.timeoutMs) {
      return finish({ type: 'timed-out', version, afterSeconds: Math.round((Date.now() - started) / 1000) }, state);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
    const next = await readFlagState(target, flagKey);
    if (next.current.version !== version) {
      const current = next.current;
      return finish(
        isRollback(current) && current.rollbackOf === version
          ? {
              type: 'rolled-back',
              version,
              toVersion: current.version,
              sourceVersion: current.sourceVersion!,
              by: String(current.changedBy ?? 'unknown'),
            }
          : { type: 'superseded', version, byVersion: current.version },
        next,
      );
    }
    state = next;
  }

  function finish(outcome: WatchOutcome, at: FlagState): WatchOutcome {
    options.onEvent(outcome, at);
    return outcome;
  }
}
