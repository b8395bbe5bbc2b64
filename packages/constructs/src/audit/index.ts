export * from './audit-forwarding';
export * from './audit-pipeline';
export * from './opensearch-log-delivery';
