// The producers' entry point (`@ffc/audit/events`): the event model and its validation, without the
// OpenSearch client, so a Lambda function that only records events stays small.
export * from './envelope';
export * from './event-types';
export * from './validate-event';
export * from './document-id';
export { InvalidAuditEventError } from './errors';
