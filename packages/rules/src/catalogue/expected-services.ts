import type { CatalogueService, ServiceCatalogue } from './catalogue';
import type { FlagChange } from '../model/flag-change';

/**
 * Whether a service receives changes in a region: it runs there and is active. A deprecated service keeps
 * the values its cache holds but gets no fan-out queue, so no change may expect it to apply anything.
 */
export function receivesChanges(service: CatalogueService, region: string): boolean {
  return service.lifecycle === 'active' && service.regions.includes(region);
}

/** The services that get a fan-out queue in `region` (the CDK app's list), sorted. */
export function servicesInRegion(catalogue: ServiceCatalogue, region: string): string[] {
  return catalogue.services
    .filter((service) => receivesChanges(service, region))
    .map((service) => service.id)
    .sort();
}

/**
 * The services of `region` a change reaches, sorted: what the validator publishes to and verification expects.
 * Always a subset of `servicesInRegion`, so verification never waits for a service that has no queue there;
 * empty when the change does not apply to the region.
 */
export function expectedServices(
  change: Pick<FlagChange, 'services' | 'regions'>,
  region: string,
  catalogue: ServiceCatalogue,
): string[] {
  if (change.regions && !change.regions.includes(region)) return [];
  const all = change.services.includes('*');
  return catalogue.services
    .filter((service) => (all || change.services.includes(service.id)) && receivesChanges(service, region))
    .map((service) => service.id)
    .sort();
}
