import { AuditConfigurationError } from './errors';

/** Stage names become part of index names: lowercase, no spaces, commas or dots. */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

/** Returns the stage if it can name audit indices, and says how to fix it otherwise. */
export function assertAuditStage(stage: string): string {
  if (!STAGE_PATTERN.test(stage)) {
    throw new AuditConfigurationError(`stage '${stage}' must match ${STAGE_PATTERN.source} to name an audit index`);
  }
  return stage;
}

/** The alias every reader queries; every partition index of the stage joins it through the template. */
export function auditAlias(stage: string): string {
  return `ffc-audit-${assertAuditStage(stage)}`;
}

/**
 * Matches the stage's partition indices and no other stage's: the dot cannot occur in a stage name, so
 * stage `pr` never claims the indices of stage `pr-1`.
 */
export function auditIndexPattern(stage: string): string {
  return `${auditAlias(stage)}.*`;
}

/**
 * The monthly partition an event belongs to, from its own timestamp: a replay lands in the same index as
 * the original, which is what makes deterministic ids deduplicate (ids are unique per index only).
 */
export function auditPartitionIndex(stage: string, occurredAt: string): string {
  const month = new Date(occurredAt).toISOString().slice(0, 7).replace('-', '.');
  return `${auditAlias(stage)}.${month}`;
}

/** Names of the stage's index template and ISM policy. */
export function auditTemplateName(stage: string): string {
  return auditAlias(stage);
}

export function auditPolicyId(stage: string): string {
  return `${auditAlias(stage)}-retention`;
}
