import { namingRules } from './key';
import { killSwitchRules } from './kill';
import { metadataRules } from './meta';
import { ownershipRules } from './owner';
import { prerequisiteRules } from './prereq';
import { governanceRules } from './prod';
import { rateRules } from './rate';
import { rolloutRules } from './rollout';
import { scopeRules } from './scope';
import { securityRules } from './sec';
import { sizeRules } from './size';
import { targetingRules } from './target';
import { lifecycleRules } from './temp';
import { serviceTierRules } from './tier';
import { valueRules } from './type';
import { versioningRules } from './ver';
import { RuleDefinition } from '../engine/rule-types';

/** Every business rule, in the order they are reported. IDs are stable: never renumber, only add. */
export const rules: readonly RuleDefinition[] = [
  ...namingRules,
  ...valueRules,
  ...sizeRules,
  ...securityRules,
  ...rolloutRules,
  ...targetingRules,
  ...scopeRules,
  ...ownershipRules,
  ...governanceRules,
  ...killSwitchRules,
  ...lifecycleRules,
  ...prerequisiteRules,
  ...rateRules,
  ...metadataRules,
  ...versioningRules,
  ...serviceTierRules,
];

const byId = new Map(rules.map((rule) => [rule.ruleId, rule]));

export function findRule(ruleId: string): RuleDefinition | undefined {
  return byId.get(ruleId.toUpperCase());
}
