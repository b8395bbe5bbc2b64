export * from './write-request';
export * from './flag-writer';
export * from './write-client';
