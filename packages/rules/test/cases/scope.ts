import { serviceCatalogue } from '../../src';
import { DEPRECATED_SERVICE, EU_ONLY_SERVICE, fixtureCatalogue } from '../support/catalogue';
import { RuleCases, Scenario } from '../support/scenario';

const services =
  (...ids: string[]) =>
  (s: Scenario) => {
    s.change.services = ids;
    if (s.context.current) s.context.current = { ...s.context.current, services: ids };
  };
const regions =
  (...ids: string[]) =>
  (s: Scenario) => {
    s.change.regions = ids;
  };
const asPlatform = (s: Scenario) => {
  s.change.owner = 'platform';
  s.change.flagKey = 'shared-one-click';
  s.change.rollout = { percentage: 10 };
  if (s.context.current) s.context.current = { ...s.context.current, owner: 'platform', flagKey: 'shared-one-click' };
};
const withFixtures = (s: Scenario) => {
  s.context.catalogue = fixtureCatalogue;
};
const catalog = (n: number) => ['checkout-tax', 'checkout-receipt', 'checkout-web', 'checkout-worker'].slice(0, n);

export const scopeCases: RuleCases = {
  'FFC-SCOPE-001': { fail: services(), pass: services('checkout-tax') },
  'FFC-SCOPE-002': {
    fail: (s) => {
      asPlatform(s);
      services('*', 'checkout-receipt')(s);
    },
    pass: (s) => {
      asPlatform(s);
      services('*')(s);
    },
  },
  'FFC-SCOPE-003': {
    fail: services('checkout-receipt', 'checkout-recipt'),
    pass: services('checkout-receipt', 'checkout-tax'),
  },
  'FFC-SCOPE-004': {
    fail: services('checkout-receipt', 'checkout-receipt'),
    pass: services('checkout-receipt', 'checkout-tax'),
  },
  'FFC-SCOPE-005': {
    fail: (s) => {
      services('checkout-tax')(s);
      s.change.type = 'json';
      s.change.value = { a: 1 };
      s.change.rollout = undefined;
      s.context.current = { ...s.context.current!, type: 'json', value: { a: 1 } };
    },
    pass: services(...catalog(2)),
  },
  'FFC-SCOPE-006': { fail: regions(), pass: regions('eu-west-1') },
  'FFC-SCOPE-007': { fail: regions('eu-west-1', 'eu-south-9'), pass: regions('eu-west-1', 'eu-north-1') },
  'FFC-SCOPE-008': { fail: regions('eu-west-1', 'eu-west-1'), pass: regions('eu-west-1', 'us-east-1') },
  'FFC-SCOPE-009': {
    fail: (s) => {
      withFixtures(s);
      services('checkout-receipt', EU_ONLY_SERVICE)(s);
      regions('us-east-1')(s);
    },
    pass: (s) => {
      withFixtures(s);
      services('checkout-receipt', EU_ONLY_SERVICE)(s);
      regions('us-east-1', 'eu-west-1')(s);
    },
  },
  'FFC-SCOPE-010': {
    fail: (s) => {
      asPlatform(s);
      services(...catalogueIds(51))(s);
    },
    pass: (s) => {
      asPlatform(s);
      services(...catalogueIds(50))(s);
    },
  },
  'FFC-SCOPE-011': {
    fail: (s) => {
      withFixtures(s);
      s.change.services = ['checkout-receipt', DEPRECATED_SERVICE];
    },
    // A flag the deprecated service already reads keeps it (and can be ramped or turned off).
    pass: (s) => {
      withFixtures(s);
      services('checkout-receipt', DEPRECATED_SERVICE)(s);
    },
  },
  'FFC-SCOPE-012': {
    fail: (s) => {
      withFixtures(s);
      services(EU_ONLY_SERVICE)(s);
      regions('eu-west-1', 'us-east-1')(s);
    },
    pass: (s) => {
      withFixtures(s);
      services(EU_ONLY_SERVICE)(s);
      regions('eu-west-1')(s);
    },
  },
};

/** Tier 2/3 services of every team, enough to list more than 50. */
function catalogueIds(n: number): string[] {
  return serviceCatalogue.services
    .filter((s) => s.tier >= 2)
    .slice(0, n)
    .map((s) => s.id);
}
