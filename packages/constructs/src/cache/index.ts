export * from './regional-redis';
