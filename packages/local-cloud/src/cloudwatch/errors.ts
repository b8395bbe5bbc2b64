/** The CloudWatch Logs exception names this emulation throws, as the SDK v3 exception's `name`. */
export type InsightsErrorName =
  'MalformedQueryException' | 'InvalidParameterException' | 'ResourceNotFoundException' | 'LimitExceededException';

/**
 * A request CloudWatch Logs would refuse, named as AWS names it, so a caller (the gateway, the state machine's
 * `CloudWatchLogs.LimitExceededException` retry) handles it exactly as it handles the SDK's exception.
 */
export class InsightsQueryError extends Error {
  override readonly name: InsightsErrorName;

  constructor(name: InsightsErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** The query uses syntax this evaluator does not implement (or that is not Logs Insights at all). */
export function malformedQuery(message: string): InsightsQueryError {
  return new InsightsQueryError('MalformedQueryException', message);
}
