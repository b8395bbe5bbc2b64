import data from './services.json';
import { FlagType } from '../model/flag-change';

/** 0 is customer-facing and critical; 3 is internal and best-effort. Stricter rules apply to lower tiers. */
export type ServiceTier = 0 | 1 | 2 | 3;

/** One microservice that consumes flags. Its id names its queue (`<stage>-fanout-<id>`), so it never changes. */
export interface CatalogueService {
  readonly id: string;
  readonly team: string;
  readonly tier: ServiceTier;
  readonly allowedFlagTypes: readonly FlagType[];
  readonly regions: readonly string[];
  /** Deprecated services still run but must not receive new flags. */
  readonly lifecycle: 'active' | 'deprecated';
}

/** The services, teams and regions every rule and the infrastructure agree on. */
export interface ServiceCatalogue {
  readonly regions: readonly string[];
  readonly teams: readonly string[];
  readonly services: readonly CatalogueService[];
}

/** The team that runs the connector itself and owns flags that span every service. */
export const PLATFORM_TEAM = 'platform';

/** The catalogue shipped with this package (156 services, 13 teams, 12 regions); apps/infra builds from it. */
export const serviceCatalogue: ServiceCatalogue = data as ServiceCatalogue;
export const REGIONS: readonly string[] = serviceCatalogue.regions;
export const teams: readonly string[] = serviceCatalogue.teams;

/** Lookups the validator needs on every change, built once per catalogue. */
export interface CatalogueIndex {
  readonly catalogue: ServiceCatalogue;
  readonly byId: ReadonlyMap<string, CatalogueService>;
  readonly teams: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
}

const indexes = new WeakMap<ServiceCatalogue, CatalogueIndex>();

export function indexCatalogue(catalogue: ServiceCatalogue): CatalogueIndex {
  let index = indexes.get(catalogue);
  if (!index) {
    index = {
      catalogue,
      byId: new Map(catalogue.services.map((s) => [s.id, s])),
      teams: new Set(catalogue.teams),
      regions: new Set(catalogue.regions),
    };
    indexes.set(catalogue, index);
  }
  return index;
}
