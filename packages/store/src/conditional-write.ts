/** How often a write that collided with another in-flight transaction is tried again before giving up. */
const CONFLICT_ATTEMPTS = 5;
const CONFLICT_BACKOFF_MS = 20;

/**
 * Runs a conditional write. Resolves true when it was applied and false when a condition failed (the caller
 * then reads what won); a TransactionConflict (another transaction on the same item in flight) is retried,
 * because its outcome says nothing yet about who won.
 */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return true;
    } catch (error) {
      // By name, not instanceof: the caller's client may load another copy of @aws-sdk/client-dynamodb.
      const name = (error as Error).name;
      if (name === 'ConditionalCheckFailedException') return false;
      if (name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const codes = reasons.map((reason) => reason.Code);
      if (codes.includes('ConditionalCheckFailed')) return false;
      if (!codes.includes('TransactionConflict') || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, CONFLICT_BACKOFF_MS * attempt * Math.random()));
    }
  }
}
