import { randomBytes } from 'node:crypto';
import { ensureEngines } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';
import { auditIndexPattern, auditTemplateName } from '../../src';

/** The shared local OpenSearch and a stage name no other test run uses. */
export function localOpenSearch(): { url: string; client: Client; uniqueStage: (prefix?: string) => string } {
  const { opensearchUrl } = ensureEngines(['opensearch']);
  return {
    url: opensearchUrl,
    client: new Client({ node: opensearchUrl }),
    uniqueStage: (prefix = 't') => `${prefix}${randomBytes(4).toString('hex')}`,
  };
}

/** Removes only what the given stages created. */
export async function removeStages(client: Client, stages: readonly string[]): Promise<void> {
  for (const stage of stages) {
    await client.indices.delete({ index: auditIndexPattern(stage), ignore_unavailable: true }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: auditTemplateName(stage) }).catch(() => undefined);
  }
}
