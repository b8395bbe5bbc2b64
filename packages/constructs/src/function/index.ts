export * from './ffc-function';
export * from './event-sources';
export * from './dead-letters';
export * from './rule-delivery';
