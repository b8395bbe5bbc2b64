export * from './verification-state-machine';
export * from './verification';
