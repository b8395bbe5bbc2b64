import { GetQueueUrlCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { FlagDocument, FlagReader } from '@ffc/store';
import { WriteRequest, writerQueueName } from './write-request';

export interface WriteClientOptions {
  /** The stage whose writer queue takes the request. */
  readonly stage: string;
  /** @default - a default-config client: the credential chain's identity, AWS_REGION as the home region */
  readonly sqs?: SQSClient;
  /** @default - `<stage>-flag-writer` looked up with GetQueueUrl */
  readonly queueUrl?: string;
  /** Where the version lands: the home region's flag table. */
  readonly store: Pick<FlagReader, 'getVersion'>;
  /** @default 30,000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly pollMs?: number;
}

/** The writer did not write the request in time: it may have refused it, or be behind. */
export class WriteNotLandedError extends Error {
  constructor(
    readonly request: WriteRequest,
    timeoutMs: number,
  ) {
    super(
      `version ${request.expectedVersion + 1} of '${request.flagKey}' has not landed within ${timeoutMs / 1000} s: ` +
        `the writer may have refused it (ffc history ${request.flagKey} shows change.rejected for correlation id ` +
        `${request.correlationId}) or be behind; do not send it again — ffc get ${request.flagKey} shows whether it landed`,
    );
    this.name = 'WriteNotLandedError';
  }
}

/** Another request landed as the version this one was meant to be: nothing of this one was written. */
export class WriteSupersededError extends Error {
  constructor(
    readonly request: WriteRequest,
    readonly landed: FlagDocument,
  ) {
    super(
      `'${request.flagKey}' version ${landed.version} was written by ${String(landed.changedBy)} meanwhile: ` +
        'yours was not written; read the flag again and run again',
    );
    this.name = 'WriteSupersededError';
  }
}

/**
 * Sends a write request to the writer queue and waits for its version to land (the version it names, with its
 * correlation id): what the writer stamped on it — who and when — is in the document returned.
 */
export async function submitWriteRequest(options: WriteClientOptions, request: WriteRequest): Promise<FlagDocument> {
  const { timeoutMs = 30_000, pollMs = 250, sqs = new SQSClient({}) } = options;
  const queueUrl =
    options.queueUrl ??
    (await sqs.send(new GetQueueUrlCommand({ QueueName: writerQueueName(options.stage) }))).QueueUrl;
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const landed = await options.store.getVersion(request.flagKey, request.expectedVersion + 1);
    if (landed && landed.correlationId === request.correlationId) return landed;
    if (landed) throw new WriteSupersededError(request, landed);
    if (Date.now() >= deadline) throw new WriteNotLandedError(request, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
