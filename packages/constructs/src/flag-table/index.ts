export * from './flag-table';
export * from './flag-table-replica';
