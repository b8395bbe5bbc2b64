import { SECRETS_MANAGER_ERRORS } from '../errors';
import { awsJsonProtocol } from '../protocols';
import { jsonObject, requiredString, ServiceDefinition } from './service';

/** Secrets Manager: awsJson1_1 with `X-Amz-Target: secretsmanager.<Op>`. */
export const secretsManagerService: ServiceDefinition = {
  signingName: 'secretsmanager',
  protocol: awsJsonProtocol({ version: '1.1', targetPrefix: 'secretsmanager' }),
  errors: SECRETS_MANAGER_ERRORS,
  operations: {
    GetSecretValue: ({ secretsManager }) =>
      secretsManager &&
      (async (ctx, input) => {
        const request = jsonObject(input);
        return secretsManager.getSecretValue(ctx, {
          ...request,
          SecretId: requiredString(request, 'SecretId', 'InvalidParameterException'),
        });
      }),
  },
};
