export * from './flag-table';
