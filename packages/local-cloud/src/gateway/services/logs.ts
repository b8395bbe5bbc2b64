import { StartQueryInput } from '../backend';
import { LOGS_ERRORS } from '../errors';
import { awsJsonProtocol } from '../protocols';
import { jsonObject, requiredString, ServiceDefinition } from './service';

/** CloudWatch Logs: awsJson1_1 with `X-Amz-Target: Logs_20140328.<Op>`; times are plain epoch-second numbers. */
export const logsService: ServiceDefinition = {
  signingName: 'logs',
  protocol: awsJsonProtocol({ version: '1.1', targetPrefix: 'Logs_20140328' }),
  errors: LOGS_ERRORS,
  operations: {
    StartQuery: ({ logs }) =>
      logs &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        requiredString(request, 'queryString', 'InvalidParameterException');
        return logs.startQuery(ctx, request as unknown as StartQueryInput);
      }),
    GetQueryResults: ({ logs }) =>
      logs &&
      (async (ctx, input) =>
        logs.getQueryResults(ctx, {
          queryId: requiredString(jsonObject(input), 'queryId', 'InvalidParameterException'),
        })),
  },
};
