import { AuditEvent } from '@ffc/audit';
import { ChaosContext } from './context';
import { InvariantOptions } from './invariants';

/** A check a scenario adds to the shared invariants: what this fault in particular must not break. */
export interface ScenarioCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface ScenarioOutcome {
  /** The flags whose replicas, caches and audit history the invariants are checked over. */
  readonly flagKeys: readonly string[];
  readonly checks?: readonly ScenarioCheck[];
  readonly numbers?: Readonly<Record<string, number | string | null>>;
  readonly invariants?: InvariantOptions;
}

export interface ChaosScenario {
  readonly name: string;
  /** The fault, in one line (printed with the result). */
  readonly fault: string;
  /** The fewest regions the fault needs. */
  readonly minRegions: number;
  /** Injects the fault while changes flow; the fault is over when it resolves. */
  run(ctx: ChaosContext): Promise<ScenarioOutcome>;
}

export function check(name: string, passed: boolean, detail: string): ScenarioCheck {
  return { name, passed, detail };
}

/** The audit events the stage's functions sent for one flag, in the order sent. */
export function auditEventsOf(ctx: ChaosContext, flagKey: string): AuditEvent[] {
  const bodies = ctx.stage.observer.queueSends.get(`${ctx.stage.options.stage}-audit`) ?? [];
  return bodies.map((b) => JSON.parse(b) as AuditEvent).filter((e) => e.flagKey === flagKey);
}

/** Writes version 1 and waits until every region verified it: the flag has a last known good to go back to. */
export async function verifiedFlag(ctx: ChaosContext, label: string): Promise<string> {
  const flagKey = ctx.newFlag(label);
  const first = await ctx.write(flagKey, 1);
  await ctx.verified(flagKey, first.version);
  return flagKey;
}

/** The rollbacks the rollback function wrote for a flag, as the primary replica holds them. */
export async function rollbacksOf(ctx: ChaosContext, flagKey: string) {
  const history = await ctx.store(ctx.stage.primaryRegion).history(flagKey, { limit: 1000 });
  return history.filter((d) => d.kind === 'rollback');
}
