export * from './client';
export * from './errors';
export * from './item-version';
export * from './replica-tables';
export * from './replication';
export * from './stream-reader';
