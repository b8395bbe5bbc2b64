import type { Gateway } from './server';

/**
 * The SDK's per-service endpoint variables (`AWS_ENDPOINT_URL_` + the client's serviceId upper-cased, spaces as
 * underscores: @smithy/core getEndpointUrlConfig). Only these services: DynamoDB keeps its own engine.
 */
export const GATEWAY_ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_SNS',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
] as const;

/**
 * Fake credentials: the gateway checks no signatures, but the SDK must find some to sign with. Letters only,
 * because DynamoDB Local (which names its per-key databases after the access key) accepts nothing else.
 */
export const LOCAL_CLOUD_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'localcloud',
  AWS_SECRET_ACCESS_KEY: 'localcloud',
} as const;

/**
 * Who the fake credentials are: the local cloud's functions sign with them, so their messages carry this
 * SenderId (shaped like an IAM user id, as AWS reports one for a user).
 */
export const LOCAL_CLOUD_PRINCIPALS: Readonly<Record<string, string>> = {
  [LOCAL_CLOUD_CREDENTIALS.AWS_ACCESS_KEY_ID]: 'AIDALOCALCLOUDFUNCTIONS',
};

/**
 * The environment a Lambda bundle needs so its default-config SDK clients reach the gateway (endpoint URLs, fake
 * credentials). The runtime adds AWS_REGION per function, and must also call `resolveHostPrefixes(gateway.host)`
 * in the process that runs the bundle (Step Functions' `sync-` host prefix). SQS clients send to the QueueUrl's
 * own origin, so queue URLs handed to the bundles must be gateway URLs (see `gatewayQueueUrl`).
 */
export function gatewayEnvironment(gateway: Gateway): Record<string, string> {
  return {
    ...Object.fromEntries(GATEWAY_ENDPOINT_VARIABLES.map((name) => [name, gateway.url])),
    ...LOCAL_CLOUD_CREDENTIALS,
  };
}

/**
 * A queue URL on the gateway. A default-config SQSClient sends each request to its QueueUrl's origin, not to
 * AWS_ENDPOINT_URL_SQS (@aws-sdk/middleware-sdk-sqs, useQueueUrlAsEndpoint), so a real-looking
 * `https://sqs.<region>.amazonaws.com/...` URL would leave the machine.
 */
export function gatewayQueueUrl(gateway: Gateway, accountId: string, queueName: string): string {
  return `${gateway.url}/${accountId}/${queueName}`;
}
