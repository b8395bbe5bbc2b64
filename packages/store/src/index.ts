export * from './table-names';
