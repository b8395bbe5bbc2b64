export * from './naming';
export * from './flag-table';
