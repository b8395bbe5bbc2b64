import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditIndexPattern, auditTemplateName, createAuditReader, installAuditIndex } from '@ffc/audit';
import { ensureEngines } from '@ffc/tools';
import { Client } from '@opensearch-project/opensearch';
import {
  BUNDLE_BUDGET_BYTES,
  BundleBudgetError,
  BundleResult,
  HANDLERS,
  assertWithinBudget,
  bundleHandlers,
} from '../build-tools/handlers';

const SDK_NODE_PATH = path.join(__dirname, '..', '..', '..', 'node_modules');
const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-bundles-'));
let bundles: BundleResult;

beforeAll(async () => {
  bundles = await bundleHandlers(outRoot);
});
afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

describe('handler bundles', () => {
  test('every handler is bundled within the 300 KB budget of issue #12', () => {
    expect(Object.keys(bundles.sizes).sort()).toEqual(Object.keys(HANDLERS).sort());
    for (const [name, bytes] of Object.entries(bundles.sizes)) {
      expect({ name, withinBudget: bytes <= 300_000 }).toEqual({ name, withinBudget: true });
    }
  });

  test('the audit writer carries the OpenSearch transport, not the full client and its API namespaces', () => {
    const code = fs.readFileSync(path.join(outRoot, 'auditWriter', 'index.js'), 'utf8');
    expect(code).toContain('_bulk');
    // Paths of APIs the writer never calls (ML Commons, security plugin, index templates).
    for (const unused of ['/_plugins/_ml/', '/_plugins/_security/', '_index_template']) {
      expect(code).not.toContain(unused);
    }
  });

  test('every bundle loads in a fresh Node process and exports `handler` (nothing dropped as side-effect free)', () => {
    for (const name of Object.keys(HANDLERS)) {
      const file = JSON.stringify(path.join(outRoot, name, 'index.js'));
      const exported = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${file}).handler)`], {
        env: { NODE_PATH: SDK_NODE_PATH },
        encoding: 'utf8',
      });
      expect([name, exported]).toEqual([name, 'function']);
    }
  });

  test('each bundle loads only the AWS SDK clients its handler calls (cold start pays for nothing else)', () => {
    // What each handler calls, from its source: the runtime's shared factories import more than any one uses.
    const calls: Record<string, string[]> = {
      validator: ['dynamodb', 'eventbridge', 'sns', 'sqs'],
      cacheUpdater: ['secrets-manager'],
      verificationScheduler: ['sfn'],
      consistencyChecker: ['secrets-manager', 'sqs'],
      rollback: ['dynamodb', 'sqs'],
      auditWriter: ['eventbridge'],
      flagWriter: ['dynamodb', 'sqs'],
    };
    const loaded = Object.fromEntries(
      Object.keys(HANDLERS).map((name) => {
        const file = JSON.stringify(path.join(outRoot, name, 'index.js'));
        const clients = execFileSync(
          process.execPath,
          [
            '-e',
            `require(${file});const c=new Set(Object.keys(require.cache).map(k=>k.split('/@aws-sdk/client-')[1]?.split('/')[0]).filter(Boolean));process.stdout.write(JSON.stringify([...c].sort()))`,
          ],
          { env: { NODE_PATH: SDK_NODE_PATH }, encoding: 'utf8' },
        );
        return [name, JSON.parse(clients)];
      }),
    );
    expect(loaded).toEqual(calls);
  });

  test('the gate names every bundle over budget, and passes one exactly at it', () => {
    expect(() => assertWithinBudget({ validator: BUNDLE_BUDGET_BYTES, rollback: 1 })).not.toThrow();
    const error = (() => {
      try {
        assertWithinBudget({ validator: 300_001, rollback: 1, auditWriter: 373_455 });
      } catch (caught) {
        return caught as BundleBudgetError;
      }
      throw new Error('an oversized bundle passed the gate');
    })();
    expect(error).toBeInstanceOf(BundleBudgetError);
    expect(error.oversized).toEqual({ validator: 300_001, auditWriter: 373_455 });
    expect(error.message).toMatch(/validator 300\.0 KB, auditWriter 373\.5 KB/);
  });

  test('the bundled audit writer writes to OpenSearch from a fresh Node process, as Lambda loads it', async () => {
    const { opensearchUrl } = ensureEngines(['opensearch']);
    const client = new Client({ node: opensearchUrl });
    const stage = `bn${randomBytes(3).toString('hex')}`;
    await installAuditIndex({ client, stage, production: false });
    try {
      const body = JSON.stringify({
        type: 'change.published',
        details: { targetServices: ['checkout-api'] },
        stage,
        region: 'eu-west-1',
        flagKey: 'checkout-one-click',
        version: 1,
        actor: `${stage}-validator`,
        occurredAt: new Date().toISOString(),
        correlationId: 'corr-bundle',
      });
      const script =
        `require(${JSON.stringify(path.join(outRoot, 'auditWriter', 'index.js'))})` +
        `.handler({ Records: [{ messageId: 'm0', body: process.env.BODY }] })` +
        '.then((response) => process.stdout.write(JSON.stringify(response)))';
      const output = execFileSync(process.execPath, ['-e', script], {
        // The AWS SDK stays outside the bundle; Lambda provides it the same way, through NODE_PATH.
        env: { NODE_PATH: SDK_NODE_PATH, STAGE: stage, FFC_OPENSEARCH_URL: opensearchUrl, BODY: body },
        encoding: 'utf8',
      });
      expect(JSON.parse(output)).toEqual({ batchItemFailures: [] });
      await client.indices.refresh({ index: auditIndexPattern(stage) });
      expect(await createAuditReader({ client, stage }).timeline('corr-bundle')).toHaveLength(1);
    } finally {
      await client.indices.delete({ index: auditIndexPattern(stage) }).catch(() => undefined);
      await client.indices.deleteIndexTemplate({ name: auditTemplateName(stage) }).catch(() => undefined);
      await client.close();
    }
  });
});
