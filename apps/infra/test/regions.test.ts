import * as fs from 'node:fs';
import * as path from 'node:path';
import { FLAG_REGIONS } from '@ffc/identifiers';
import { expectedServices, serviceCatalogue } from '@ffc/rules';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../src/app';

const REGIONS = serviceCatalogue.regions;
type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };

describe('the whole stage: flag store + twelve regions, cdk-nag clean', () => {
  let templates: Map<string, Template>;

  beforeAll(() => {
    const app = buildApp(
      new App({ context: { stage: 'pr-7', costCentre: 'cc-1234', owner: 'platform', regions: [...REGIONS] } }),
    );
    // Synthesis runs the AwsSolutions checks and throws on any unacknowledged finding.
    const assembly = app.synth();
    templates = new Map(
      fs
        .readdirSync(assembly.directory)
        .filter((file) => file.endsWith('.template.json'))
        .map((file) => [file, JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8')) as Template]),
    );
  }, 180_000);

  const resourcesOfType = (type: string, filter: (file: string) => boolean = () => true) =>
    [...templates]
      .filter(([file]) => filter(file))
      .flatMap(([, t]) => Object.values(t.Resources).filter((r) => r.Type === type));

  test('one stack per region plus the flag store, none above 450 resources (CloudFormation allows 500)', () => {
    for (const region of REGIONS) expect(templates.has(`pr-7-region-${region}.template.json`)).toBe(true);
    expect(templates.has('pr-7-flag-store.template.json')).toBe(true);
    const largest = Math.max(...[...templates.values()].map((t) => Object.keys(t.Resources).length));
    expect(largest).toBeLessThanOrEqual(450);
  });

  /** Each SNS subscription of a region's fan-out: the services its filter names, and the queue it delivers to. */
  const subscriptions = (region: string) =>
    [...templates]
      .filter(([file]) => file.startsWith(`pr7region${region.replace(/-/g, '')}`))
      .flatMap(([, t]) =>
        Object.values(t.Resources)
          .filter((r) => r.Type === 'AWS::SNS::Subscription')
          .map((s) => ({
            filter: s.Properties!.FilterPolicy.targetServices as string[],
            queueName: t.Resources[s.Properties!.Endpoint['Fn::GetAtt'][0]].Properties!.QueueName as string,
          })),
      );
  const filteredServices = (region: string) =>
    subscriptions(region).flatMap((s) => s.filter.filter((service) => service !== '*'));

  test("each region's fan-out has one filtered subscription per catalogue service: 156 in each of the twelve", () => {
    // services.json: 156 services, all active, every one in all twelve regions (README, "156 microservices").
    expect(REGIONS).toEqual(FLAG_REGIONS);
    for (const region of REGIONS) {
      const services = filteredServices(region);
      expect(services).toHaveLength(156);
      expect(new Set(services).size).toBe(156);
      expect(services).toEqual(expect.arrayContaining(['checkout-api', 'checkout-cart', 'checkout-session']));
      // SNS ORs the values of one attribute: a message for this service or for "*" reaches its queue, nothing else.
      for (const { filter, queueName } of subscriptions(region)) {
        const service = filter.find((value) => value !== '*');
        expect({ filter: [...filter].sort(), queueName }).toEqual({
          filter: ['*', service],
          queueName: `pr-7-fanout-${service}`,
        });
      }
    }
  });

  test('every service a valid "*" change expects in a region has a queue there (else verification rolls it back)', () => {
    for (const region of REGIONS) {
      const queued = new Set(filteredServices(region));
      const expected = expectedServices({ services: ['*'] }, region, serviceCatalogue);
      expect(expected.filter((service) => !queued.has(service))).toEqual([]);
    }
  });

  test("each regional stack reads its own replica's stream at deploy time (no cross-region reference)", () => {
    for (const region of REGIONS) {
      const [lookup] = Object.values(templates.get(`pr-7-region-${region}.template.json`)!.Resources).filter(
        (r) => r.Type === 'Custom::AWS',
      );
      expect(JSON.stringify(lookup.Properties!.Create)).toContain('describeTable');
      expect(JSON.stringify(lookup.Properties!.Create)).toContain('pr-7-flags');
    }
  });

  test('one audit history: one OpenSearch domain for the stage, in the primary region; eleven regions forward to it', () => {
    // The primary region is the first of the regions (no primaryRegion in the context).
    const primary = REGIONS[0];
    expect(resourcesOfType('AWS::OpenSearchService::Domain')).toHaveLength(1);
    expect(
      resourcesOfType('AWS::OpenSearchService::Domain', (file) => file === `pr-7-region-${primary}.template.json`),
    ).toHaveLength(1);
    const domainLogs = resourcesOfType('AWS::Logs::LogGroup').filter((g) =>
      String(g.Properties!.LogGroupName).startsWith('/ffc/opensearch/'),
    );
    expect(domainLogs).toHaveLength(1);
    // Every region keeps its durable audit queue; all but the primary forward over EventBridge.
    const auditQueues = resourcesOfType('AWS::SQS::Queue').filter((q) => q.Properties!.QueueName === 'pr-7-audit');
    expect(auditQueues).toHaveLength(12);
    const rulesNamed = (name: string) =>
      resourcesOfType('AWS::Events::Rule').filter((r) => r.Properties!.Name === name);
    expect(rulesNamed('pr-7-audit-history')).toHaveLength(1);
    const forwarding = rulesNamed('pr-7-audit-forwarding');
    expect(forwarding).toHaveLength(11);
    for (const rule of forwarding) {
      expect(JSON.stringify(rule.Properties!.Targets[0].Arn)).toContain(`:events:${primary}:`);
    }
  });

  test('every queue, function and table is tagged with cost centre, owner and environment', () => {
    const tagged = [...resourcesOfType('AWS::SQS::Queue'), ...resourcesOfType('AWS::Lambda::Function')];
    expect(tagged.length).toBeGreaterThan(12 * 150);
    for (const resource of tagged) {
      const keys = (resource.Properties!.Tags as Array<{ Key: string }>).map((t) => t.Key);
      expect(keys).toEqual(expect.arrayContaining(['ffc:cost-centre', 'ffc:owner', 'ffc:environment']));
    }
  });

  test('every named resource carries the stage name', () => {
    const named = [
      ...resourcesOfType('AWS::SQS::Queue').map((r) => r.Properties!.QueueName),
      ...resourcesOfType('AWS::Lambda::Function')
        .map((r) => r.Properties!.FunctionName)
        .filter(Boolean),
      ...resourcesOfType('AWS::SNS::Topic').map((r) => r.Properties!.TopicName),
    ];
    for (const name of named) expect(name).toMatch(/^pr-7-/);
  });
});
