export * from './ffc-function';
export * from './event-sources';
export * from './dead-letters';
