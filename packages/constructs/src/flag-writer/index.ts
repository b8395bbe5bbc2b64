export * from './flag-writer';
