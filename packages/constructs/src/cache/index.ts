export * from './access-strings';
export * from './regional-redis';
