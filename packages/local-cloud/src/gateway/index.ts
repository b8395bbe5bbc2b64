export * from './backend';
export { resolveHostPrefixes } from './host-prefix';
export {
  gatewayEnvironment,
  gatewayQueueUrl,
  GATEWAY_ENDPOINT_VARIABLES,
  LOCAL_CLOUD_CREDENTIALS,
  LOCAL_CLOUD_PRINCIPALS,
} from './environment';
export { md5OfMessageAttributes } from './sqs-md5';
export { type Gateway, type GatewayOptions, principalIdOf, startGateway } from './server';
