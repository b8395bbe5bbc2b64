export * from './errors';
export * from './queue-service';
export * from './actors';
export * from './ports/audit-sink';
export * from './ports/change-publisher';
export * from './aws/sns-event-publisher';
export * from './aws/sqs-audit-sink';
export * from './validation/stream-validator';
export * from './validation/store-context';
export * from './verification/applied-query';
export * from './verification/consistency';
export { createValidatorHandler } from './handlers/validator';
export { createCacheUpdaterHandler, CacheUpdaterDeps } from './handlers/cache-updater';
// The fan-out message contract is the cache's: defined once there, read by the cache updater.
export { parseFanOutMessage } from '@ffc/cache';
export { createConsistencyCheckerHandler, ConsistencyRequest } from './handlers/consistency-checker';
export { createRollbackHandler, RollbackDeps, RollbackResponse } from './handlers/rollback';
export {
  createVerificationSchedulerHandler,
  verificationInput,
  parsePublishedEvent,
  VerificationInput,
} from './handlers/verification-scheduler';
export { createAuditWriterHandler } from './handlers/audit-writer';
