export * from './audit-pipeline';
export * from './opensearch-log-delivery';
