import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Every ffc OpenSearch domain logs to a log group under this prefix: `<prefix><stage>/<domain purpose>`. */
export const OPENSEARCH_LOG_GROUP_PREFIX = '/ffc/opensearch/';

/** The name of the account's one policy; the same in every stage, so stages share it instead of adding one each. */
export const OPENSEARCH_LOG_DELIVERY_POLICY_NAME = 'ffc-opensearch-log-delivery';

/**
 * The CloudWatch Logs resource policy that lets OpenSearch Service publish the logs of this account's ffc
 * domains in one region. An account holds at most 10 Logs resource policies per region, so this is one per
 * account and region for all stages (deploy it from an account-level stack, before any stage), never one per
 * domain or stage.
 */
export class OpenSearchLogDelivery extends Construct {
  readonly policy: logs.ResourcePolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.policy = new logs.ResourcePolicy(this, 'Resource', {
      resourcePolicyName: OPENSEARCH_LOG_DELIVERY_POLICY_NAME,
      policyStatements: [
        new iam.PolicyStatement({
          sid: 'OpenSearchDomainsOfThisAccount',
          principals: [new iam.ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${OPENSEARCH_LOG_GROUP_PREFIX}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
          // Confused-deputy protection: only this account's domains in this region.
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: {
              'aws:SourceArn': stack.formatArn({
                service: 'es',
                resource: 'domain',
                resourceName: '*',
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              }),
            },
          },
        }),
      ],
    });
  }
}
