/** Stage names become part of index names: OpenSearch index names must be lowercase, with no spaces or commas. */
const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

/** The alias every audit reader queries and every writer writes through, per stage. */
export function auditAlias(stage: string): string {
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`stage '${stage}' must match ${STAGE_PATTERN.source} to name an audit index`);
  }
  return `ffc-audit-${stage}`;
}
