export * from './flag-key';
