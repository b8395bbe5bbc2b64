export * from './ffc-function';
