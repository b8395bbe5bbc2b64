import { OpenSearchLogDelivery } from '@ffc/constructs';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** One region's resources of an account that every stage deployed there shares. */
export const ACCOUNT_STACK_PREFIX = 'ffc-account-';

/**
 * What an account holds once per region for all stages, so that no stage adds to an account-wide quota:
 * the CloudWatch Logs resource policy for OpenSearch log publishing (10 Logs resource policies per account
 * and region). The stack name carries no stage: every stage's app contains the same stack, and deploying it
 * again from another stage changes nothing.
 */
export class AccountStack extends Stack {
  readonly logDelivery: OpenSearchLogDelivery;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.logDelivery = new OpenSearchLogDelivery(this, 'OpenSearchLogDelivery');
  }
}
