export * from './naming';
export * from './encryption';
export * from './network';
export * from './flag-table';
export * from './fan-out';
