import { ValidationContext } from '../context';
import { deriveFacts } from '../facts/facts';
import { FlagChange } from '../model/flag-change';
import { rules } from '../rules';
import { compileRuleSet } from './compile';
import { RuleCategory, Severity } from './rule-types';

export interface Violation {
  readonly ruleId: string;
  readonly category: RuleCategory;
  readonly severity: Severity;
  readonly message: string;
  /** The field of the change to fix ('' for the whole document). */
  readonly path: string;
}

export interface ValidationResult {
  /** False when any violation is an error; warnings alone keep a change valid. */
  readonly valid: boolean;
  readonly violations: readonly Violation[];
}

// Compiled once at load: json-rules-engine stays the authoring format, plain predicates do the work.
const compiled = compileRuleSet(rules);

/** Evaluates every rule against one change and returns every violation, in registry order. */
export function validateChange(change: FlagChange, context: ValidationContext): ValidationResult {
  const facts = deriveFacts(change, context);
  const hits: number[] = [];
  const count = compiled.scan(facts, hits);
  const violations: Violation[] = [];
  let valid = true;
  for (let i = 0; i < count; i++) {
    const { rule, message } = compiled.rules[hits[i]];
    violations.push({
      ruleId: rule.ruleId,
      category: rule.category,
      severity: rule.severity,
      message: message(facts),
      path: rule.path,
    });
    if (rule.severity === 'error') valid = false;
  }
  return { valid, violations };
}
