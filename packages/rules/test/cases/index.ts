import { namingCases } from './key';
import { killSwitchCases } from './kill';
import { metadataCases } from './meta';
import { ownershipCases } from './owner';
import { prerequisiteCases } from './prereq';
import { governanceCases } from './prod';
import { rateCases } from './rate';
import { rolloutCases } from './rollout';
import { scopeCases } from './scope';
import { securityCases } from './sec';
import { sizeCases } from './size';
import { targetingCases } from './target';
import { lifecycleCases } from './temp';
import { serviceTierCases } from './tier';
import { valueCases } from './type';
import { versioningCases } from './ver';
import { RuleCases } from '../support/scenario';

/** A compliant and a violating case for every rule, keyed by rule ID. */
export const ruleCases: RuleCases = {
  ...namingCases,
  ...valueCases,
  ...sizeCases,
  ...securityCases,
  ...rolloutCases,
  ...targetingCases,
  ...scopeCases,
  ...ownershipCases,
  ...governanceCases,
  ...killSwitchCases,
  ...lifecycleCases,
  ...prerequisiteCases,
  ...rateCases,
  ...metadataCases,
  ...versioningCases,
  ...serviceTierCases,
};
