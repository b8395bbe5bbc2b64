import { generateCases } from './generate';
import { createReferenceEngine } from './reference-engine';
import { compileRuleSet, createValidationContext, deriveFacts, RuleDefinition, rules } from '../../src';

export interface Disagreement {
  readonly index: number;
  /** What the validator's scan found. */
  readonly compiled: string[];
  /** What the per-rule predicates found, when it differs from the scan. */
  readonly predicates?: string[];
  readonly reference: string[];
}

/** ROLLOUT-002 compiled with >= instead of >: an off-by-one the differential test must catch. */
export function withPlantedBug(ruleSet: readonly RuleDefinition[]): RuleDefinition[] {
  return ruleSet.map((rule) =>
    rule.ruleId === 'FFC-ROLLOUT-002'
      ? {
          ...rule,
          properties: {
            ...rule.properties,
            conditions: { all: [{ fact: 'rolloutPercentage', operator: 'greaterThanInclusive', value: 100 }] },
          },
        }
      : rule,
  );
}

/**
 * Runs `count` seeded random changes through rules compiled from `compiledFrom` and through
 * json-rules-engine with the registry's rules; returns where they disagree and how often rules fired.
 */
export async function runDifferential(count: number, seed: number, compiledFrom: readonly RuleDefinition[] = rules) {
  const compiled = compileRuleSet(compiledFrom);
  const reference = createReferenceEngine(rules);
  const disagreements: Disagreement[] = [];
  const fired = new Set<string>();
  const hits: number[] = [];
  let clean = 0;
  for (const [index, { change, context }] of generateCases(count, seed).entries()) {
    const facts = deriveFacts(change, createValidationContext(context));
    const found = compiled.scan(facts, hits);
    const fromCompiled = hits
      .slice(0, found)
      .map((i) => compiled.rules[i].rule.ruleId)
      .sort();
    const fromPredicates = compiled.rules
      .filter((r) => r.violated(facts))
      .map((r) => r.rule.ruleId)
      .sort();
    const fromReference = (await reference(facts)).sort();
    fromCompiled.forEach((id) => fired.add(id));
    if (fromCompiled.length === 0) clean++;
    if (fromCompiled.join() !== fromReference.join() || fromPredicates.join() !== fromReference.join()) {
      const predicates = fromPredicates.join() === fromCompiled.join() ? undefined : fromPredicates;
      disagreements.push({ index, compiled: fromCompiled, predicates, reference: fromReference });
    }
  }
  return { count, disagreements, rulesFired: fired.size, clean };
}

// Run as a plain Node process by the test: json-rules-engine is ~3x slower inside Jest's module sandbox.
if (require.main === module) {
  const [count, seed, planted] = process.argv.slice(2);
  void runDifferential(Number(count), Number(seed), planted === 'planted' ? withPlantedBug(rules) : rules).then((r) =>
    process.stdout.write(JSON.stringify(r)),
  );
}
