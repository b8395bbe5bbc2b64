import { expectedServices, serviceCatalogue, servicesInRegion, ServiceCatalogue } from '../src';

/** Two regions; an active and a deprecated service in each shape a catalogue takes. */
const catalogue: ServiceCatalogue = {
  regions: ['eu-west-1', 'us-east-1'],
  teams: ['checkout'],
  services: [
    {
      id: 'svc-active',
      team: 'checkout',
      tier: 1,
      allowedFlagTypes: ['boolean'],
      regions: ['eu-west-1', 'us-east-1'],
      lifecycle: 'active',
    },
    {
      id: 'svc-old',
      team: 'checkout',
      tier: 1,
      allowedFlagTypes: ['boolean'],
      regions: ['eu-west-1', 'us-east-1'],
      lifecycle: 'deprecated',
    },
    {
      id: 'svc-us',
      team: 'checkout',
      tier: 1,
      allowedFlagTypes: ['boolean'],
      regions: ['us-east-1'],
      lifecycle: 'active',
    },
    {
      id: 'svc-eu-old',
      team: 'checkout',
      tier: 1,
      allowedFlagTypes: ['boolean'],
      regions: ['eu-west-1'],
      lifecycle: 'deprecated',
    },
  ],
};

describe('servicesInRegion: the services that get a queue', () => {
  test.each([
    ['eu-west-1', ['svc-active']],
    ['us-east-1', ['svc-active', 'svc-us']],
    ['sa-east-1', []],
  ])('%s', (region, expected) => expect(servicesInRegion(catalogue, region)).toEqual(expected));
});

describe('expectedServices: what a change reaches and verification waits for', () => {
  test.each([
    ['"*" expects no deprecated service (it has no queue)', { services: ['*'] }, 'eu-west-1', ['svc-active']],
    ['"*" in a region with more services', { services: ['*'] }, 'us-east-1', ['svc-active', 'svc-us']],
    [
      'a listed deprecated service is not expected',
      { services: ['svc-old', 'svc-active'] },
      'us-east-1',
      ['svc-active'],
    ],
    ['a service that does not run in the region', { services: ['svc-us'] }, 'eu-west-1', []],
    ['a change limited to other regions', { services: ['*'], regions: ['us-east-1'] }, 'eu-west-1', []],
    [
      'a change limited to this region',
      { services: ['*'], regions: ['us-east-1'] },
      'us-east-1',
      ['svc-active', 'svc-us'],
    ],
    ['an unknown service', { services: ['svc-gone'] }, 'us-east-1', []],
  ])('%s', (_label, change, region, expected) => expect(expectedServices(change, region, catalogue)).toEqual(expected));

  test('never a service without a queue in the region', () => {
    for (const region of [...catalogue.regions, 'sa-east-1']) {
      const queues = new Set(servicesInRegion(catalogue, region));
      expect(expectedServices({ services: ['*'] }, region, catalogue).filter((s) => !queues.has(s))).toEqual([]);
    }
  });

  test('the shipped catalogue: all 156 services are active and run in all twelve regions', () => {
    for (const region of serviceCatalogue.regions) {
      expect(expectedServices({ services: ['*'] }, region, serviceCatalogue)).toHaveLength(156);
    }
    expect(serviceCatalogue.regions).toHaveLength(12);
    expect(expectedServices({ services: ['checkout-api'] }, 'sa-east-1', serviceCatalogue)).toEqual(['checkout-api']);
  });
});
