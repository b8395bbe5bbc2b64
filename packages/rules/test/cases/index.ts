import { governanceCases } from './governance';
import { killSwitchCases } from './kill-switch';
import { lifecycleCases } from './lifecycle';
import { metadataCases } from './metadata';
import { namingCases } from './naming';
import { ownershipCases } from './ownership';
import { prerequisiteCases } from './prerequisites';
import { rateCases } from './rate';
import { rolloutCases } from './rollout';
import { scopeCases } from './scope';
import { securityCases } from './security';
import { serviceTierCases } from './service-tier';
import { sizeCases } from './size';
import { targetingCases } from './targeting';
import { valueCases } from './value';
import { versioningCases } from './versioning';
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
