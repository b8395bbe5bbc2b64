export * from './ffc-function';
export * from './event-sources';
