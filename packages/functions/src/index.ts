export * from './errors';
export * from './queue-service';
export * from './actors';
export * from './ports/audit-sink';
export * from './ports/change-publisher';
export * from './aws/sns-event-publisher';
export * from './aws/sqs-audit-sink';
export * from './validation/stream-validator';
export * from './verification/applied-query';
export * from './verification/consistency';
export { createValidatorHandler } from './handlers/validator';
export { changePolicyFromEnv } from './runtime';
export { createCacheUpdaterHandler, type CacheUpdaterDeps } from './handlers/cache-updater';
// The fan-out message contract is the cache's: defined once there, read by the cache updater.
export { parseFanOutMessage } from '@ffc/cache';
export { createConsistencyCheckerHandler, type ConsistencyRequest } from './handlers/consistency-checker';
export { createRollbackHandler, type RollbackDeps, type RollbackResponse } from './handlers/rollback';
export {
  createVerificationSchedulerHandler,
  verificationInput,
  parsePublishedEvent,
  type VerificationInput,
} from './handlers/verification-scheduler';
export { createAuditForwarderHandler, createAuditWriterHandler } from './handlers/audit-writer';
export { createFlagWriterHandler } from './handlers/flag-writer';
