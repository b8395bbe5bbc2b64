export * from './grammar';
export * from './identifiers';
export * from './regions';
export * from './flag-table-items';
export * from './wiring';
