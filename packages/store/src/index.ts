export * from './errors';
export {
  CHANGE_KINDS,
  ChangeKind,
  FlagDocument,
  isRollback,
  MAX_DOCUMENT_BYTES,
  normaliseDocument,
} from './flag-document';
export * from './flag-reader';
export * from './flag-store';
export * from './flag-table';
export { dynamoDbSize } from './item-size';
export {
  assertFlagKey,
  assertRegion,
  CURRENT_SK,
  FLAG_KEY_PATTERN,
  isStoredVersion,
  MAX_VERSION,
  REGION_PATTERN,
} from './keys';
export * from './stream-record';
export * from './table-names';
