import { CatalogueIndex, FlagChange } from '@ffc/rules';

/**
 * The services of this region a change reaches: the listed ones (or every catalogue service for `*`) that
 * run in the region — the explicit expected set verification checks against. Empty when the change does
 * not apply to the region at all.
 */
export function targetServices(change: FlagChange, region: string, catalogue: CatalogueIndex): string[] {
  if (change.regions && !change.regions.includes(region)) return [];
  const all = change.services.includes('*');
  return catalogue.catalogue.services
    .filter((service) => (all || change.services.includes(service.id)) && service.regions.includes(region))
    .map((service) => service.id)
    .sort();
}
