/**
 * The cache updater serves all 156 per-service queues of a region; the service a message is for is the
 * queue's name without the stage's fan-out prefix (the construct passes the prefix in the environment).
 */
export function serviceFromQueueArn(queueArn: string, queueNamePrefix: string): string {
  const queueName = queueArn.split(':').pop() ?? '';
  if (
    !queueArn.startsWith('arn:') ||
    !queueName.startsWith(queueNamePrefix) ||
    queueName.length === queueNamePrefix.length
  ) {
    throw new Error(`queue '${queueArn}' is not a fan-out queue named '${queueNamePrefix}<service>'`);
  }
  return queueName.slice(queueNamePrefix.length);
}
