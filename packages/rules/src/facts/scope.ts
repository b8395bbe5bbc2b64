import { duplicates, memberOf } from './lists';
import { CatalogueIndex, CatalogueService } from '../catalogue/catalogue';
import { FlagChange, FlagType } from '../model/flag-change';

/** What a change to every service (`["*"]`) targets: the same for every change, so measured once per catalogue. */
interface WholeCatalogue {
  readonly rejectingType: ReadonlyMap<FlagType, readonly string[]>;
  readonly tiers: readonly number[];
  readonly teamCount: number;
  readonly servedRegions: ReadonlySet<string>;
}

const wholeCatalogues = new WeakMap<CatalogueIndex, WholeCatalogue>();

function wholeCatalogue(catalogue: CatalogueIndex): WholeCatalogue {
  let whole = wholeCatalogues.get(catalogue);
  if (!whole) {
    const { services } = catalogue.catalogue;
    const types: FlagType[] = ['boolean', 'string', 'number', 'json'];
    whole = {
      rejectingType: new Map(types.map((type) => [type, Object.freeze(rejectingType(services, type))])),
      tiers: Object.freeze(tiersOf(services)),
      teamCount: new Set(services.map((s) => s.team)).size,
      servedRegions: new Set(services.flatMap((s) => s.regions)),
    };
    wholeCatalogues.set(catalogue, whole);
  }
  return whole;
}

/** Measurements of services, regions and ownership against the catalogue. */
export function measureScope(change: FlagChange, catalogue: CatalogueIndex) {
  const { services, owner, regions, type } = change;
  const wildcard = services.length === 1 && services[0] === '*';
  const known: CatalogueService[] = [];
  const unknownServices: string[] = [];
  for (const id of services) {
    if (id === '*') continue;
    const service = catalogue.byId.get(id);
    if (service) known.push(service);
    else unknownServices.push(id);
  }
  const whole = wildcard ? wholeCatalogue(catalogue) : undefined;
  const servedByTargets = (r: string) =>
    whole ? whole.servedRegions.has(r) : (servedByKnown ??= new Set(known.flatMap((s) => s.regions))).has(r);
  let servedByKnown: Set<string> | undefined;
  const servicesRejectingType =
    whole?.rejectingType.get(type) ?? rejectingType(whole ? catalogue.catalogue.services : known, type);
  const foreignTier0Services = known.filter((s) => s.tier === 0 && s.team !== owner).map((s) => s.id);
  const inRegions = regions && memberOf(regions);
  const servicesOutsideRegions = inRegions ? known.filter((s) => !s.regions.some(inRegions)).map((s) => s.id) : [];
  const regionsWithoutServices = regions ? regions.filter((r) => catalogue.regions.has(r) && !servedByTargets(r)) : [];
  const unknownRegions = regions ? regions.filter((r) => !catalogue.regions.has(r)) : [];
  const deprecatedServices = known.filter((s) => s.lifecycle === 'deprecated').map((s) => s.id);
  const duplicateServices = duplicates(services);
  const duplicateRegions = regions ? duplicates(regions) : [];
  const keyTeamPrefix = catalogue.catalogue.teams.find((team) => startsWithWord(change.flagKey, team)) ?? null;
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
    targetTiers: whole ? whole.tiers : tiersOf(known),
    targetTeamCount: whole ? whole.teamCount : teamCount(known),
    ownerExists: catalogue.teams.has(owner),
    ownerOwnsTargetService: known.some((s) => s.team === owner),
    foreignTier0Services,
    foreignTier0ServiceCount: foreignTier0Services.length,
    keyTeamPrefix,
    keyTeamPrefixIsOwner: keyTeamPrefix === owner,
  };
}

function rejectingType(services: readonly CatalogueService[], type: FlagType): string[] {
  return services.filter((s) => !s.allowedFlagTypes.includes(type)).map((s) => s.id);
}

/** The tiers of the services, each once, in the order they first appear. */
function tiersOf(services: readonly CatalogueService[]): number[] {
  const tiers: number[] = [];
  for (const s of services) if (!tiers.includes(s.tier)) tiers.push(s.tier);
  return tiers;
}

function teamCount(services: readonly CatalogueService[]): number {
  const teams: string[] = [];
  for (const s of services) if (!teams.includes(s.team)) teams.push(s.team);
  return teams.length;
}

/** Whether `key` is `word-…`, without building `word-` for every team of every change. */
const startsWithWord = (key: string, word: string) => key.charCodeAt(word.length) === DASH && key.startsWith(word);
const DASH = 45;
