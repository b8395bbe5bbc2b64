// The evaluation contract: no Redis, no OpenFeature, so the validator and any bundle can import it alone.
export * from './bucket';
export * from './evaluate';
export * from './murmur3';
export * from './operators';
export * from './flag-spec';
