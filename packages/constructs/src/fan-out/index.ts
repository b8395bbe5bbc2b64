export * from './shards';
export * from './fan-out-shard';
export * from './regional-fan-out';
