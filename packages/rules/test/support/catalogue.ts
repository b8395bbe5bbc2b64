import { CatalogueService, FLAG_TYPES, serviceCatalogue, ServiceCatalogue } from '../../src';

/**
 * The shipped catalogue runs every service in every region and deprecates none; rules about deprecated and
 * regional services are tested against this catalogue, which adds one of each to the checkout team.
 */
export const DEPRECATED_SERVICE = 'checkout-legacy-cart';
export const EU_ONLY_SERVICE = 'checkout-eu-vat';
export const EU_REGIONS = ['eu-west-1', 'eu-central-1'];

const extra = (id: string, overrides: Partial<CatalogueService>): CatalogueService => ({
  id,
  team: 'checkout',
  tier: 2,
  allowedFlagTypes: [...FLAG_TYPES],
  regions: serviceCatalogue.regions,
  lifecycle: 'active',
  ...overrides,
});

export const fixtureCatalogue: ServiceCatalogue = {
  ...serviceCatalogue,
  services: [
    ...serviceCatalogue.services,
    extra(DEPRECATED_SERVICE, { lifecycle: 'deprecated' }),
    extra(EU_ONLY_SERVICE, { regions: EU_REGIONS }),
  ],
};
