export * from './errors';
export {
  CHANGE_KINDS,
  type ChangeKind,
  type FlagDocument,
  isArchive,
  isRollback,
  MAX_DOCUMENT_BYTES,
  normaliseDocument,
} from './flag-document';
export * from './flag-reader';
export * from './flag-store';
export * from './flag-table';
export { dynamoDbSize } from './item-size';
export { CURRENT_SK, isStoredVersion, MAX_VERSION } from './keys';
export * from './stream-record';
export * from './table-names';
