/**
 * What the gateway calls once it has decoded a request. Shapes follow the AWS API references member for member,
 * except that blobs are `Uint8Array` and timestamps are `Date` (the gateway does the wire encoding). A method
 * fails the way AWS does by throwing an error whose `name` is the AWS error code (see {@link AwsServiceError}).
 */
export interface GatewayRequestContext {
  /** From the SigV4 credential scope, e.g. `eu-west-1`. */
  readonly region: string;
  /** The SigV4 signing name: `sns`, `sqs`, `events`, `states`, `secretsmanager` or `logs`. */
  readonly service: string;
  /** The AWS operation name, e.g. `Publish`. */
  readonly operation: string;
  /**
   * The signing principal's id, from the SigV4 credential's access key id: an IAM user id, or
   * `<role id>:<session name>` for an assumed role. SQS reports it as SenderId (ReceiveMessage).
   */
  readonly principalId: string;
}

export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

export interface SqsMessageAttributeValue extends MessageAttributeValue {
  readonly StringListValues?: string[];
  readonly BinaryListValues?: Uint8Array[];
}

export interface SnsPublishInput {
  readonly TopicArn: string;
  readonly Message: string;
  readonly Subject?: string;
  readonly MessageStructure?: string;
  readonly MessageAttributes?: Record<string, MessageAttributeValue>;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

export interface SnsBackend {
  publish(ctx: GatewayRequestContext, input: SnsPublishInput): Promise<{ MessageId: string; SequenceNumber?: string }>;
}

export interface SqsSendMessageInput {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageAttributes?: Record<string, SqsMessageAttributeValue>;
  readonly MessageSystemAttributes?: Record<string, SqsMessageAttributeValue>;
  readonly MessageDeduplicationId?: string;
  readonly MessageGroupId?: string;
}

/** The gateway adds MD5OfMessageBody, MD5OfMessageAttributes and MD5OfMessageSystemAttributes itself. */
export interface SqsSendMessageOutput {
  readonly MessageId: string;
  readonly SequenceNumber?: string;
}

export interface SqsSendMessageBatchInput {
  readonly QueueUrl: string;
  readonly Entries: Array<Omit<SqsSendMessageInput, 'QueueUrl'> & { readonly Id: string }>;
}

export interface SqsSendMessageBatchOutput {
  readonly Successful: Array<SqsSendMessageOutput & { readonly Id: string }>;
  readonly Failed: Array<{
    readonly Id: string;
    readonly SenderFault: boolean;
    readonly Code: string;
    readonly Message?: string;
  }>;
}

export interface SqsReceiveMessageInput {
  readonly QueueUrl: string;
  readonly MaxNumberOfMessages?: number;
  readonly WaitTimeSeconds?: number;
  readonly VisibilityTimeout?: number;
  readonly AttributeNames?: string[];
  readonly MessageSystemAttributeNames?: string[];
  readonly MessageAttributeNames?: string[];
  readonly ReceiveRequestAttemptId?: string;
}

/** A received message; the gateway adds MD5OfBody and MD5OfMessageAttributes (over the attributes returned). */
export interface SqsReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly Attributes?: Record<string, string>;
  readonly MessageAttributes?: Record<string, SqsMessageAttributeValue>;
}

export interface SqsBackend {
  sendMessage(ctx: GatewayRequestContext, input: SqsSendMessageInput): Promise<SqsSendMessageOutput>;
  sendMessageBatch(ctx: GatewayRequestContext, input: SqsSendMessageBatchInput): Promise<SqsSendMessageBatchOutput>;
  receiveMessage?(
    ctx: GatewayRequestContext,
    input: SqsReceiveMessageInput,
  ): Promise<{ Messages?: SqsReceivedMessage[] }>;
  deleteMessage?(ctx: GatewayRequestContext, input: { QueueUrl: string; ReceiptHandle: string }): Promise<void>;
  getQueueUrl?(
    ctx: GatewayRequestContext,
    input: { QueueName: string; QueueOwnerAWSAccountId?: string },
  ): Promise<{ QueueUrl: string }>;
  getQueueAttributes?(
    ctx: GatewayRequestContext,
    input: { QueueUrl: string; AttributeNames?: string[] },
  ): Promise<{ Attributes?: Record<string, string> }>;
}

export interface PutEventsRequestEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: string[];
  readonly Time?: Date;
  readonly TraceHeader?: string;
}

export interface EventsBackend {
  putEvents(
    ctx: GatewayRequestContext,
    input: { Entries: PutEventsRequestEntry[]; EndpointId?: string },
  ): Promise<{
    FailedEntryCount: number;
    Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
  }>;
}

export interface StartSyncExecutionOutput {
  readonly executionArn: string;
  readonly stateMachineArn?: string;
  readonly name?: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
}

export interface SfnBackend {
  startSyncExecution(
    ctx: GatewayRequestContext,
    input: { stateMachineArn: string; input?: string; name?: string; traceHeader?: string },
  ): Promise<StartSyncExecutionOutput>;
}

export interface SecretsManagerBackend {
  getSecretValue(
    ctx: GatewayRequestContext,
    input: { SecretId: string; VersionId?: string; VersionStage?: string },
  ): Promise<{
    ARN: string;
    Name: string;
    SecretString?: string;
    SecretBinary?: Uint8Array;
    VersionId?: string;
    VersionStages?: string[];
    CreatedDate?: Date;
  }>;
}

export interface StartQueryInput {
  readonly logGroupName?: string;
  readonly logGroupNames?: string[];
  readonly logGroupIdentifiers?: string[];
  /** Epoch seconds, as on the wire. */
  readonly startTime: number;
  readonly endTime: number;
  readonly queryString: string;
  readonly limit?: number;
}

export interface GetQueryResultsOutput {
  readonly status: 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';
  readonly results: Array<Array<{ field: string; value: string }>>;
  readonly statistics?: { recordsMatched?: number; recordsScanned?: number; bytesScanned?: number };
}

export interface LogsBackend {
  startQuery(ctx: GatewayRequestContext, input: StartQueryInput): Promise<{ queryId: string }>;
  getQueryResults(ctx: GatewayRequestContext, input: { queryId: string }): Promise<GetQueryResultsOutput>;
}

/** The services the local cloud emulates; a missing one answers "not emulated by the local cloud". */
export interface GatewayBackend {
  readonly sns?: SnsBackend;
  readonly sqs?: SqsBackend;
  readonly events?: EventsBackend;
  readonly sfn?: SfnBackend;
  readonly secretsManager?: SecretsManagerBackend;
  readonly logs?: LogsBackend;
}

/** An error the gateway sends as the AWS error `code`, so the SDK throws what AWS would (e.g. `NotFound`). */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
