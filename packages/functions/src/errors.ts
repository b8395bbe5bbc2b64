/**
 * Input a handler can never process as given (malformed, or refused by a contract it must satisfy): a retry
 * cannot help, so the handler reports it and carries on with the rest of its batch.
 */
export class UnprocessableInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnprocessableInputError';
  }
}
