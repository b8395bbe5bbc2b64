import { Engine, RuleProperties } from 'json-rules-engine';
import { customOperators, Facts, RuleDefinition, rules } from '../../src';

/**
 * The rules run by json-rules-engine itself, with the same custom operators: the reference the compiled
 * validator must agree with. Prepared operator values are cached so the baseline is not handicapped.
 */
export function createReferenceEngine(ruleSet: readonly RuleDefinition[] = rules) {
  const engine = new Engine(
    ruleSet.map((rule) => rule.properties as unknown as RuleProperties),
    { allowUndefinedFacts: false },
  );
  for (const [name, operator] of Object.entries(customOperators)) {
    const prepared = new Map<string, unknown>();
    engine.addOperator(name, (factValue: unknown, value: unknown) => {
      const key = JSON.stringify(value);
      if (!prepared.has(key)) prepared.set(key, operator.prepare(value as never));
      return operator.evaluate(factValue, prepared.get(key));
    });
  }
  return async (facts: Facts): Promise<string[]> => {
    const { events } = await engine.run(facts as unknown as Record<string, unknown>);
    return events.map((event) => (event.params as { ruleId: string }).ruleId);
  };
}
