export * from './engines';
export * from './stats';
export * from './test-summary';
export * from './publish';
export * from './registry';
