/**
 * Error names the SDK throws, mapped to what travels on the wire and the HTTP status (from the services'
 * Smithy models: the `awsQueryError` and `httpError` traits). A backend may throw either the SDK name
 * (`NotFoundException`) or the wire code (`NotFound`); names not listed travel as they are, with status 400.
 */
export type ErrorModel = Readonly<Record<string, readonly [wireCode: string, status: number]>>;

/** A backend error resolved for one service: `name` is what the SDK will throw. */
export interface WireError {
  readonly name: string;
  readonly wireCode: string;
  readonly status: number;
  readonly message: string;
}

/** SNS (awsQuery): the wire code is the XML `<Code>`. */
export const SNS_ERRORS: ErrorModel = {
  AuthorizationErrorException: ['AuthorizationError', 403],
  BatchEntryIdsNotDistinctException: ['BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLongException: ['BatchRequestTooLong', 400],
  ConcurrentAccessException: ['ConcurrentAccess', 400],
  EmptyBatchRequestException: ['EmptyBatchRequest', 400],
  EndpointDisabledException: ['EndpointDisabled', 400],
  FilterPolicyLimitExceededException: ['FilterPolicyLimitExceeded', 403],
  InternalErrorException: ['InternalError', 500],
  InvalidBatchEntryIdException: ['InvalidBatchEntryId', 400],
  InvalidParameterException: ['InvalidParameter', 400],
  InvalidParameterValueException: ['ParameterValueInvalid', 400],
  InvalidSecurityException: ['InvalidSecurity', 403],
  InvalidStateException: ['InvalidState', 400],
  KMSAccessDeniedException: ['KMSAccessDenied', 400],
  KMSDisabledException: ['KMSDisabled', 400],
  KMSInvalidStateException: ['KMSInvalidState', 400],
  KMSNotFoundException: ['KMSNotFound', 400],
  KMSOptInRequired: ['KMSOptInRequired', 403],
  KMSThrottlingException: ['KMSThrottling', 400],
  NotFoundException: ['NotFound', 404],
  OptedOutException: ['OptedOut', 400],
  PlatformApplicationDisabledException: ['PlatformApplicationDisabled', 400],
  ReplayLimitExceededException: ['ReplayLimitExceeded', 403],
  ResourceNotFoundException: ['ResourceNotFound', 404],
  StaleTagException: ['StaleTag', 400],
  SubscriptionLimitExceededException: ['SubscriptionLimitExceeded', 403],
  TagLimitExceededException: ['TagLimitExceeded', 400],
  TagPolicyException: ['TagPolicy', 400],
  ThrottledException: ['Throttled', 429],
  TooManyEntriesInBatchRequestException: ['TooManyEntriesInBatchRequest', 400],
  TopicLimitExceededException: ['TopicLimitExceeded', 403],
  UserErrorException: ['UserError', 400],
  ValidationException: ['ValidationException', 400],
};

/** SQS (awsJson1_0, query-compatible): the wire code goes in the `x-amzn-query-error` header. */
export const SQS_ERRORS: ErrorModel = {
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidAddress: ['InvalidAddress', 404],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  InvalidSecurity: ['InvalidSecurity', 403],
  KmsAccessDenied: ['KMS.AccessDeniedException', 400],
  KmsDisabled: ['KMS.DisabledException', 400],
  KmsInvalidKeyUsage: ['KMS.InvalidKeyUsageException', 400],
  KmsInvalidState: ['KMS.InvalidStateException', 400],
  KmsNotFound: ['KMS.NotFoundException', 400],
  KmsOptInRequired: ['KMS.OptInRequired', 403],
  KmsThrottled: ['KMS.ThrottlingException', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  OverLimit: ['OverLimit', 403],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  RequestThrottled: ['RequestThrottled', 403],
  ResourceNotFoundException: ['ResourceNotFoundException', 404],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
};

/** The JSON services' errors whose status is not 400 (the wire code is the name). */
export const SFN_ERRORS: ErrorModel = {
  ConflictException: ['ConflictException', 409],
  ResourceNotFound: ['ResourceNotFound', 404],
  ServiceQuotaExceededException: ['ServiceQuotaExceededException', 402],
};
export const EVENTS_ERRORS: ErrorModel = { InternalException: ['InternalException', 500] };
export const SECRETS_MANAGER_ERRORS: ErrorModel = { InternalServiceError: ['InternalServiceError', 500] };
export const LOGS_ERRORS: ErrorModel = { ServiceUnavailableException: ['ServiceUnavailableException', 500] };

/** JavaScript's own error names: a backend that throws one of these has a bug, not an AWS error. */
const BUG_NAMES = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

/**
 * What to send for an error a backend threw. A plain `Error` (a bug in the backend) becomes the common
 * AWS error `InternalFailure` (500, which the SDK retries like AWS's own) carrying the original message.
 */
export function wireError(error: unknown, model: ErrorModel, where: string): WireError {
  const name = error instanceof Error ? error.name : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (name === undefined || BUG_NAMES.has(name)) {
    return {
      name: 'InternalFailure',
      wireCode: 'InternalFailure',
      status: 500,
      message: `local cloud backend failed in ${where}: ${message}`,
    };
  }
  const bySdkName = model[name];
  if (bySdkName) return { name, wireCode: bySdkName[0], status: bySdkName[1], message };
  const byWireCode = Object.entries(model).find(([, [wireCode]]) => wireCode === name);
  if (byWireCode) return { name: byWireCode[0], wireCode: name, status: byWireCode[1][1], message };
  return { name, wireCode: name, status: 400, message };
}
