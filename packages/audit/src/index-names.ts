import { identifierProblem, STAGE_NAME } from '@ffc/identifiers';
import { AuditConfigurationError } from './errors';

/** Returns the stage if it can name audit indices (the shared stage grammar: no spaces, commas or dots). */
export function assertAuditStage(stage: string): string {
  const problem = identifierProblem(STAGE_NAME, stage);
  if (problem) {
    throw new AuditConfigurationError(
      `stage '${stage}' must match ${STAGE_NAME.pattern.source} to name an audit index: it ${problem}`,
    );
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
