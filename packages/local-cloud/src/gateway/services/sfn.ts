import { SFN_ERRORS } from '../errors';
import { awsJsonProtocol } from '../protocols';
import { jsonObject, requiredString, ServiceDefinition } from './service';

/**
 * Step Functions: awsJson1_0 with `X-Amz-Target: AWSStepFunctions.<Op>`. The SDK sends StartSyncExecution to
 * `sync-<endpoint host>`; see host-prefix.ts for how that name reaches the gateway.
 */
export const sfnService: ServiceDefinition = {
  signingName: 'states',
  protocol: awsJsonProtocol({ version: '1.0', targetPrefix: 'AWSStepFunctions' }),
  errors: SFN_ERRORS,
  operations: {
    StartSyncExecution: ({ sfn }) =>
      sfn &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        return sfn.startSyncExecution(ctx, {
          ...request,
          stateMachineArn: requiredString(request, 'stateMachineArn', 'ValidationException'),
        });
      }),
  },
};
