export * from './validator-source';
