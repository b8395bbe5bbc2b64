import { auditIndexPattern, createAuditClient, installAuditIndex } from '@ffc/audit';

/**
 * Gives a stage an empty audit history with the index template a deployment installs (keyword fields the
 * invariants search on); without it the first event creates a partition with dynamic mappings.
 */
export async function resetAuditIndex(opensearchUrl: string, stage: string): Promise<void> {
  const client = createAuditClient({ kind: 'http', node: opensearchUrl });
  try {
    await client.indices.delete({ index: auditIndexPattern(stage), ignore_unavailable: true } as never);
    await installAuditIndex({ client, stage, production: false });
  } finally {
    await client.close();
  }
}
