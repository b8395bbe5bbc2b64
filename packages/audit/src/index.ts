export * from './index-names';
