import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditIndexPattern, createAuditClient } from '@ffc/audit';
import { engineSettings } from '@ffc/tools';
import { ffc } from './support/run-cli';

/** The last line of `--json` output. */
const report = (out: string) =>
  JSON.parse(out.trim().split('\n').pop()!) as {
    scenarios: { name: string; passed: boolean; observed: string }[];
    hops: Record<string, { p99_ms: number | null; slo_ms: number }>;
    regions: number;
    services_per_region: number;
  };

describe('ffc demo on a local stage of 2 regions × 156 services', () => {
  let assembly: string;

  it('passes the three scenarios: valid change everywhere, invalid change restored once, failing service rolled back once', async () => {
    const run = await ffc('demo', '--regions', '2', '--wait-scale', '0.2', '--json');
    const result = report(run.out);
    for (const scenario of result.scenarios) {
      expect({ name: scenario.name, passed: scenario.passed, observed: scenario.observed }).toEqual(
        expect.objectContaining({ passed: true }),
      );
    }
    expect(result.scenarios).toHaveLength(3);
    expect(result).toMatchObject({ regions: 2, services_per_region: 156 });
    expect(result.hops.allCaches.p99_ms).toBeLessThanOrEqual(result.hops.allCaches.slo_ms);
    expect(run.exitCode).toBe(0);
    assembly = path.join(
      path.dirname(require.resolve('../package.json')),
      '..',
      '..',
      '.engines',
      'local-cloud',
      'local',
      'cdk.out-2',
    );
  }, 600_000);

  it("one change's events from every region are in the one history, read by ffc timeline", async () => {
    // The verified changes of the run just done (stage 'local'): each region verifies each change it served.
    const client = createAuditClient({ kind: 'http', node: engineSettings().opensearchUrl });
    const verified = await client
      .search({
        index: auditIndexPattern('local'),
        body: { query: { term: { type: 'change.verified' } }, size: 500 },
      })
      .finally(() => client.close());
    const regionsOf = new Map<string, Set<string>>();
    for (const hit of verified.body.hits.hits as { _source: { correlationId: string; region: string } }[]) {
      const { correlationId, region } = hit._source;
      regionsOf.set(correlationId, (regionsOf.get(correlationId) ?? new Set()).add(region));
    }
    const [correlationId] = [...regionsOf].find(([, regions]) => regions.size === 2) ?? [];
    expect(correlationId).toBeDefined();

    // Only the primary region's writer writes to OpenSearch; the other region's events arrive by forwarding.
    const timeline = await ffc('timeline', correlationId!, '--stage', 'local', '--json');
    expect(timeline.exitCode).toBe(0);
    const records = timeline.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; region: string });
    const regionsWith = (type: string) => new Set(records.filter((r) => r.type === type).map((r) => r.region));
    expect(regionsWith('change.verified').size).toBe(2);
    expect(regionsWith('change.applied').size).toBe(2);
  }, 60_000);

  it('fails when one synthesised filter policy is wrong: the templates drive the local run', async () => {
    // Plant the defect in a copy of the assembly: one service's subscription filters on another id.
    const planted = fs.mkdtempSync(path.join(os.tmpdir(), 'planted-'));
    fs.cpSync(assembly, planted, { recursive: true });
    const shard = fs.readdirSync(planted).find((f) => f.endsWith('.nested.template.json'))!;
    const template = JSON.parse(fs.readFileSync(path.join(planted, shard), 'utf8'));
    const subscription = Object.values(template.Resources as Record<string, any>).find(
      (r) => r.Type === 'AWS::SNS::Subscription',
    );
    const service = subscription.Properties.FilterPolicy.targetServices[0];
    subscription.Properties.FilterPolicy = { targetServices: ['no-such-service'] };
    fs.writeFileSync(path.join(planted, shard), JSON.stringify(template));

    const run = await ffc('demo', '--assembly', planted, '--wait-scale', '0.2', '--timeout', '15', '--json');
    const first = report(run.out).scenarios[0];
    expect(first.passed).toBe(false);
    expect(first.observed).toMatch(/timed out/);
    expect(run.exitCode).toBe(1);
    expect(service).toMatch(/^[a-z]/);
  }, 600_000);
});
