export * from './backend';
export { resolveHostPrefixes } from './host-prefix';
export {
  gatewayEnvironment,
  gatewayQueueUrl,
  GATEWAY_ENDPOINT_VARIABLES,
  LOCAL_CLOUD_CREDENTIALS,
} from './environment';
export { md5OfMessageAttributes } from './sqs-md5';
export { Gateway, GatewayOptions, startGateway } from './server';
