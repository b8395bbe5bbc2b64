import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { resourceName } from '../naming';

export interface EncryptionKeyProps {
  /** Stage name; the alias is `alias/<stage>-<purpose>`. */
  readonly stage: string;
  /** What the key protects, e.g. `messaging`. */
  readonly purpose: string;
  /**
   * AWS services (principals such as `sns.amazonaws.com`) that encrypt or decrypt with this key on the account's
   * behalf — e.g. SNS delivering to encrypted queues. Each is limited to this account by `aws:SourceAccount`.
   * @default - no service principals
   */
  readonly servicePrincipals?: readonly string[];
  /**
   * Production keeps the key when the stack is deleted.
   * @default false - the key is scheduled for deletion with the stack (7-day window, the minimum)
   */
  readonly production?: boolean;
}

/** A customer-managed KMS key with yearly rotation, one per purpose and region. */
export class EncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const production = props.production ?? false;
    this.key = new kms.Key(this, 'Resource', {
      alias: `alias/${resourceName(props.stage, props.purpose)}`,
      description: `ffc ${props.purpose} key (${props.stage})`,
      enableKeyRotation: true,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: production ? Duration.days(30) : Duration.days(7),
    });
    const services = props.servicePrincipals ?? [];
    if (services.length > 0) {
      // Service principals only, no resource ARNs: a topic or queue ARN here would make key and topic depend on each other.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowServicesOfThisAccount',
          principals: services.map((service) => new iam.ServicePrincipal(service)),
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
    }
  }
}
