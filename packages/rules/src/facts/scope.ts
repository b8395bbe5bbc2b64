import { CatalogueIndex, CatalogueService } from '../catalogue/catalogue';
import { FlagChange } from '../model/flag-change';

/** Measurements of services, regions and ownership against the catalogue. */
export function measureScope(change: FlagChange, catalogue: CatalogueIndex) {
  const { services, owner } = change;
  const wildcard = services.length === 1 && services[0] === '*';
  const listed = services.filter((s) => s !== '*');
  const known: CatalogueService[] = [];
  const unknownServices: string[] = [];
  for (const id of listed) {
    const service = catalogue.byId.get(id);
    if (service) known.push(service);
    else unknownServices.push(id);
  }
  const targeted = wildcard ? catalogue.catalogue.services : known;
  const regions = change.regions;
  const listedRegions = regions ?? catalogue.catalogue.regions;
  const runsInListedRegions = (s: CatalogueService) => s.regions.some((r) => listedRegions.includes(r));
  const servicesRejectingType = targeted.filter((s) => !s.allowedFlagTypes.includes(change.type)).map((s) => s.id);
  const foreignTier0Services = known.filter((s) => s.tier === 0 && s.team !== owner).map((s) => s.id);
  const servicesOutsideRegions = regions ? known.filter((s) => !runsInListedRegions(s)).map((s) => s.id) : [];
  const regionsWithoutServices = regions
    ? regions.filter((r) => catalogue.regions.has(r) && !targeted.some((s) => s.regions.includes(r)))
    : [];
  const unknownRegions = (regions ?? []).filter((r) => !catalogue.regions.has(r));
  const deprecatedServices = known.filter((s) => s.lifecycle === 'deprecated').map((s) => s.id);
  const duplicateServices = duplicates(services);
  const duplicateRegions = duplicates(regions ?? []);
  const keyTeamPrefix = catalogue.catalogue.teams.find((team) => change.flagKey.startsWith(`${team}-`)) ?? null;
  return {
    wildcard,
    wildcardMixed: services.includes('*') && services.length > 1,
    serviceCount: services.length,
    unknownServices,
    unknownServiceCount: unknownServices.length,
    duplicateServices,
    duplicateServiceCount: duplicateServices.length,
    servicesRejectingType,
    servicesRejectingTypeCount: servicesRejectingType.length,
    regionCount: regions ? regions.length : null,
    unknownRegions,
    unknownRegionCount: unknownRegions.length,
    duplicateRegions,
    duplicateRegionCount: duplicateRegions.length,
    servicesOutsideRegions,
    servicesOutsideRegionsCount: servicesOutsideRegions.length,
    regionsWithoutServices,
    regionsWithoutServicesCount: regionsWithoutServices.length,
    deprecatedServices,
    deprecatedServiceCount: deprecatedServices.length,
    targetTiers: [...new Set(targeted.map((s) => s.tier))],
    targetTeamCount: new Set(targeted.map((s) => s.team)).size,
    ownerExists: catalogue.teams.has(owner),
    ownerOwnsTargetService: known.some((s) => s.team === owner),
    foreignTier0Services,
    foreignTier0ServiceCount: foreignTier0Services.length,
    keyTeamPrefix,
    keyTeamPrefixIsOwner: keyTeamPrefix === owner,
  };
}

function duplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const item of items) (seen.has(item) ? repeated : seen).add(item);
  return [...repeated];
}
