export * from './errors';
export * from './local-queue';
