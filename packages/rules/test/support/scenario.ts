import { createValidationContext, FlagChange, HistoryEntry, validateChange, ValidationContextInput } from '../../src';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/** A change and its context, both editable, so a test states only what differs from a clean production change. */
export interface Scenario {
  change: Mutable<FlagChange> & Record<string, unknown>;
  context: Mutable<ValidationContextInput> & { history: HistoryEntry[]; prerequisites: FlagChange[] };
}

export const NOW = Date.parse('2025-03-04T10:00:00Z'); // a Tuesday
export const iso = (msFromNow: number): string => new Date(NOW + msFromNow).toISOString();
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * A production change that breaks no rule: version 2 of a tier-2 service's boolean flag, ramping 5% → 10%,
 * approved by a second person.
 */
export function cleanChange(): Scenario['change'] {
  return {
    flagKey: 'checkout-one-click',
    stage: 'live',
    type: 'boolean',
    value: true,
    services: ['checkout-receipt'],
    rollout: { percentage: 10 },
    owner: 'checkout',
    description: 'One-click checkout for returning customers',
    changedBy: 'jdoe',
    reason: 'Ramp one-click checkout after the A/B test won',
    ticket: 'CHK-1234',
    approvedBy: 'asmith',
    version: 2,
    kind: 'change',
    changedAt: iso(0),
  };
}

export function scenario(): Scenario {
  const current = { ...cleanChange(), version: 1, rollout: { percentage: 5 }, changedAt: iso(-HOUR) };
  return {
    change: cleanChange(),
    context: {
      now: NOW,
      stage: 'live',
      production: true,
      // It ran in staging first (FFC-PROD-019).
      ranInLowerStage: true,
      current,
      prerequisites: [],
      history: [{ version: 1, kind: 'change', changedAt: iso(-HOUR), changedBy: 'jdoe', rolloutPercentage: 5 }],
    },
  };
}

/** A flag state another flag can name as a prerequisite. */
export function prerequisiteFlag(flagKey: string, overrides: Partial<FlagChange> = {}): FlagChange {
  return { ...cleanChange(), flagKey, value: true, rollout: undefined, version: 3, ...overrides } as FlagChange;
}

export function validate(s: Scenario) {
  return validateChange(s.change as FlagChange, createValidationContext(s.context));
}

export function violatedRuleIds(s: Scenario): string[] {
  return validate(s).violations.map((v) => v.ruleId);
}

/** Per rule: how to break it, and a nearby compliant variant of its own (never just the clean change). */
export interface RuleCase {
  readonly fail: (s: Scenario) => void;
  readonly pass: (s: Scenario) => void;
}
export type RuleCases = Record<string, RuleCase>;

/** Makes the change a brand-new flag (no current version, no history). */
export function asNewFlag(s: Scenario): void {
  s.context.current = undefined;
  s.context.history = [];
  s.change.version = 1;
}

/** Moves the change (and its current version) to a non-production stage. */
export function inQa(s: Scenario): void {
  s.context.production = false;
  s.context.stage = s.change.stage = 'qa';
  if (s.context.current) s.context.current = { ...s.context.current, stage: 'qa' };
}
