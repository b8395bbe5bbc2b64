import { conditionalWrite } from '../src/conditional-write';

/** Errors shaped as the SDK throws them (matched by name, as another SDK copy's classes would not be instanceof). */
function cancelled(...codes: string[]) {
  return Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('conditionalWrite', () => {
  test('true when the write is applied', async () => {
    await expect(conditionalWrite(async () => 'ok')).resolves.toBe(true);
  });

  test('false when a condition failed, in a single write or a transaction, without retrying', async () => {
    const single = jest
      .fn()
      .mockRejectedValue(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }));
    await expect(conditionalWrite(single)).resolves.toBe(false);
    const transaction = jest.fn().mockRejectedValue(cancelled('None', 'ConditionalCheckFailed'));
    await expect(conditionalWrite(transaction)).resolves.toBe(false);
    expect(single).toHaveBeenCalledTimes(1);
    expect(transaction).toHaveBeenCalledTimes(1);
  });

  test('retries a transaction that collided with another in flight, then reports what happened', async () => {
    const write = jest.fn().mockRejectedValueOnce(cancelled('TransactionConflict', 'None')).mockResolvedValueOnce({});
    await expect(conditionalWrite(write)).resolves.toBe(true);
    expect(write).toHaveBeenCalledTimes(2);
  });

  test('gives up after repeated conflicts and rethrows other errors untouched', async () => {
    const conflicted = jest.fn().mockRejectedValue(cancelled('TransactionConflict'));
    await expect(conditionalWrite(conflicted)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(conflicted).toHaveBeenCalledTimes(5);
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    await expect(conditionalWrite(jest.fn().mockRejectedValue(throttled))).rejects.toBe(throttled);
  });
});
