import { ensureEngines } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';

describe('local OpenSearch (tools/engines)', () => {
  test('reports a usable cluster health', async () => {
    const { opensearchUrl } = ensureEngines(['opensearch']);
    const client = new Client({ node: opensearchUrl });
    const health = await client.cluster.health();
    expect(['green', 'yellow']).toContain(health.body.status);
    await client.close();
  });
});
