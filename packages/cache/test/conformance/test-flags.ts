import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FlagType, FlagUpdate, TargetingRuleSpec } from '../../src';

/** One flag of the spec's test-flags.json (flagd's shape: named variants, a default, optional CEL targeting). */
interface SpecFlag {
  readonly variants: Record<string, unknown>;
  readonly defaultVariant?: string | null;
  readonly disabled?: boolean;
  readonly contextEvaluator?: string;
  readonly flagMetadata?: Record<string, unknown> | null;
}

/**
 * This model evaluates no CEL: each expression of test-flags.json, translated by hand into targeting rules
 * (every rule must match) and the variant they select; '' selects the default variant. An expression not
 * listed here fails the translation, so a changed test-flags.json cannot pass silently.
 */
const CEL_TRANSLATIONS: Record<string, { readonly variant: string; readonly targeting: TargetingRuleSpec[] }> = {
  "email == 'ballmer@macrosoft.com' ? 'zero' : ''": {
    variant: 'zero',
    targeting: [{ attribute: 'email', operator: 'in', values: ['ballmer@macrosoft.com'] }],
  },
  "!customer && email == 'ballmer@macrosoft.com' && age > 10 ? 'internal' : ''": {
    variant: 'internal',
    targeting: [
      // A boolean attribute compares as its text ('false'), the way the operators read booleans.
      { attribute: 'customer', operator: 'in', values: ['false'] },
      { attribute: 'email', operator: 'in', values: ['ballmer@macrosoft.com'] },
      { attribute: 'age', operator: 'gt', values: [10] },
    ],
  },
};

/** Flags of test-flags.json this model cannot express, and why (no evaluation_v2 scenario uses them). */
export const UNTRANSLATABLE: Record<string, string> = {
  'null-default-flag': 'no default variant: a flag here always has a value it serves',
  'undefined-default-flag': 'no default variant: a flag here always has a value it serves',
};

function typeOf(values: readonly unknown[]): FlagType {
  for (const type of ['boolean', 'string', 'number'] as const) {
    if (values.every((value) => typeof value === type)) return type;
  }
  return 'json';
}

/**
 * A flag of test-flags.json as this model's update: the selected variant is `value` (named `variants.on`),
 * the default variant `offValue` (`variants.off`), which everyone gets whom targeting does not select; a
 * flag without targeting serves its default variant to everyone, and `disabled` is a 0 % rollout.
 */
export function toFlagUpdate(flagKey: string, flag: SpecFlag, version = 1): FlagUpdate {
  const names = Object.keys(flag.variants);
  const type = typeOf(Object.values(flag.variants));
  const defaultVariant = flag.defaultVariant;
  if (typeof defaultVariant !== 'string' || !(defaultVariant in flag.variants)) {
    throw new Error(`${flagKey}: ${UNTRANSLATABLE[flagKey] ?? 'its default variant is not one of its variants'}`);
  }
  const translation = flag.contextEvaluator === undefined ? undefined : CEL_TRANSLATIONS[flag.contextEvaluator];
  if (flag.contextEvaluator !== undefined && !translation) {
    throw new Error(`${flagKey}: no translation of the CEL expression ${JSON.stringify(flag.contextEvaluator)}`);
  }
  const on = translation?.variant ?? defaultVariant;
  const off = translation ? defaultVariant : (names.find((name) => name !== on) ?? on);
  return {
    flagKey,
    version,
    type,
    value: flag.variants[on],
    offValue: flag.variants[off],
    variants: { on, off },
    targeting: translation?.targeting,
    rollout: flag.disabled ? { percentage: 0 } : undefined,
  };
}

/** Every flag of the vendored test-flags.json that this model can express, translated. */
export function specTestFlags(): FlagUpdate[] {
  const flags = JSON.parse(readFileSync(path.join(__dirname, 'test-flags.json'), 'utf8')) as Record<string, SpecFlag>;
  return Object.entries(flags)
    .filter(([flagKey]) => !(flagKey in UNTRANSLATABLE))
    .map(([flagKey, flag]) => toFlagUpdate(flagKey, flag));
}
