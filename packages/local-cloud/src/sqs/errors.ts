/** The error codes Amazon SQS answers with (the `name` of the SDK v3 exception), for the cases emulated here. */
export type SqsErrorCode =
  | 'InvalidAttributeValue'
  | 'InvalidParameterValue'
  | 'InvalidMessageContents'
  | 'MessageTooLong'
  | 'ReceiptHandleIsInvalid'
  | 'MessageNotInflight'
  | 'EmptyBatchRequest'
  | 'TooManyEntriesInBatchRequest'
  | 'BatchEntryIdsNotDistinct'
  | 'InvalidBatchEntryId'
  | 'BatchRequestTooLong'
  | 'QueueDoesNotExist';

/**
 * An SQS request the local queue refuses, named as AWS names it so callers can handle it the same way they
 * handle the SDK's exception (`error.name === 'ReceiptHandleIsInvalid'`).
 */
export class SqsError extends Error {
  override readonly name: SqsErrorCode;

  constructor(
    code: SqsErrorCode,
    /** The queue the request was for. */
    readonly queueName: string,
    message: string,
  ) {
    super(`${code} (queue '${queueName}'): ${message}`);
    this.name = code;
  }
}
