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

  const filteredServices = (region: string) =>
    resourcesOfType('AWS::SNS::Subscription', (file) => file.startsWith(`pr7region${region.replace(/-/g, '')}`))
      .flatMap((s) => s.Properties!.FilterPolicy.targetServices as string[])
      .filter((service) => service !== '*');

  test("each region's fan-out has one filtered subscription per catalogue service: 156 in each of the twelve", () => {
    // services.json: 156 services, all active, every one in all twelve regions (README, "156 microservices").
    expect(REGIONS).toEqual(FLAG_REGIONS);
    for (const region of REGIONS) {
      const services = filteredServices(region);
      expect(services).toHaveLength(156);
      expect(new Set(services).size).toBe(156);
      expect(services).toEqual(expect.arrayContaining(['checkout-api', 'checkout-cart', 'checkout-session']));
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
