import { governanceRules } from './governance';
import { killSwitchRules } from './kill-switch';
import { lifecycleRules } from './lifecycle';
import { metadataRules } from './metadata';
import { namingRules } from './naming';
import { ownershipRules } from './ownership';
import { prerequisiteRules } from './prerequisites';
import { rateRules } from './rate';
import { rolloutRules } from './rollout';
import { scopeRules } from './scope';
import { securityRules } from './security';
import { serviceTierRules } from './service-tier';
import { sizeRules } from './size';
import { targetingRules } from './targeting';
import { valueRules } from './value';
import { versioningRules } from './versioning';
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
