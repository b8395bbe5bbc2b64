export * from './engines';
export * from './stats';
export * from './test-summary';
