import { RuleCases, Scenario } from '../support/scenario';

const owner =
  (team: string, flagKey = 'shared-one-click') =>
  (s: Scenario) => {
    s.change.owner = team;
    s.change.flagKey = flagKey;
    s.context.current = { ...s.context.current!, owner: team, flagKey };
  };
const services =
  (...ids: string[]) =>
  (s: Scenario) => {
    s.change.services = ids;
    s.context.current = { ...s.context.current!, services: ids };
  };

export const ownershipCases: RuleCases = {
  'FFC-OWNER-001': { fail: owner('checkout-team'), pass: owner('checkout') },
  'FFC-OWNER-002': { fail: owner('search'), pass: owner('checkout') },
  'FFC-OWNER-003': {
    fail: (s) => {
      owner('checkout')(s);
      services('*')(s);
    },
    pass: (s) => {
      owner('platform')(s);
      services('*')(s);
    },
  },
  'FFC-OWNER-004': {
    fail: (s) => {
      s.context.current = { ...s.context.current!, owner: 'search', value: false };
    },
    pass: (s) => {
      s.context.current = { ...s.context.current!, owner: 'search' };
    },
  },
  'FFC-OWNER-005': {
    fail: services('checkout-receipt', 'payments-gateway'),
    pass: services('checkout-receipt', 'payments-invoices'),
  },
  'FFC-OWNER-006': {
    fail: (s) => {
      s.change.kind = 'restore';
      s.change.changedBy = 'ffc-validator';
      s.context.current = { ...s.context.current!, owner: 'search' };
    },
    pass: (s) => {
      s.change.kind = 'restore';
      s.change.changedBy = 'ffc-validator';
    },
  },
  'FFC-OWNER-007': {
    fail: services('checkout-receipt', 'search-facets', 'catalog-media', 'growth-landing'),
    pass: (s) => {
      owner('platform')(s);
      services('checkout-receipt', 'search-facets', 'catalog-media', 'growth-landing', 'platform-status')(s);
    },
  },
};
