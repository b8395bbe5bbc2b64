export * from './audit-pipeline';
