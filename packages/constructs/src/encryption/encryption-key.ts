import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { resourceName } from '../naming';

export interface EncryptionKeyProps {
  /** Stage name; the alias is `alias/<stage>-<purpose>`. */
  readonly stage: string;
  /** What the key protects, e.g. `messaging`. */
  readonly purpose: string;
  /**
   * Production keeps the key when the stack is deleted.
   * @default false - the key is scheduled for deletion with the stack (7-day window, the minimum)
   */
  readonly production?: boolean;
}

/**
 * A customer-managed KMS key with yearly rotation, one per purpose and region. Its policy admits no service
 * by default: each resource that a service writes to on the account's behalf adds its own, narrow statement
 * ({@link allowServiceKeyUse}, {@link allowLogGroupEncryption}).
 */
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
    // Grants outlive the policy statement that allowed them: only AWS services may create them, for AWS
    // resources (OpenSearch, ElastiCache and DynamoDB take grants for encryption at rest). Control Tower CT.KMS.PR.3.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'GrantsForAwsServicesOnly',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  }
}

/** Services that encrypt data with a KMS key on a caller's behalf, and the encryption context each binds to it. */
export const ENCRYPTION_CONTEXT_KEYS = {
  sqs: 'aws:sqs:arn',
  sns: 'aws:sns:topicArn',
  secretsmanager: 'SecretARN',
  logs: 'aws:logs:arn',
} as const;
export type EncryptingService = keyof typeof ENCRYPTION_CONTEXT_KEYS;

/** What a publisher, sender or reader of data encrypted by `service` needs on the key (SNS, SQS and Secrets Manager guides). */
export const KMS_ACTIONS_FOR = {
  write: ['kms:GenerateDataKey', 'kms:Decrypt'],
  read: ['kms:Decrypt'],
} as const;

function encryptionContextCondition(service: EncryptingService, resourceArns: readonly string[]) {
  return { ArnLike: { [`kms:EncryptionContext:${ENCRYPTION_CONTEXT_KEYS[service]}`]: [...resourceArns] } };
}

/** The ARN of a resource of this stack's account and region known by name (a name, not a reference: no cycle). */
export function arnOfName(scope: IConstruct, service: 'sqs' | 'sns', name: string): string {
  return Stack.of(scope).formatArn({ service, resource: name, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

export interface KeyUse {
  /** The service that encrypts the data: the key is usable only through it (`kms:ViaService`). */
  readonly via: EncryptingService;
  /** The resources (ARNs or ARN patterns) whose data the grantee writes or reads: the encryption context. */
  readonly resourceArns: readonly string[];
  /** `write` for publishers and senders, `read` for receivers and secret readers. */
  readonly access: keyof typeof KMS_ACTIONS_FOR;
}

/**
 * Lets an identity use the key only through `via`, and only for the named resources: a role that may send to
 * one queue cannot decrypt a secret or another service's data with the same key.
 */
export function grantKeyUse(key: kms.IKey, grantee: iam.IGrantable, use: KeyUse): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...KMS_ACTIONS_FOR[use.access]],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `${use.via}.${Stack.of(key).region}.amazonaws.com` },
        ...encryptionContextCondition(use.via, use.resourceArns),
      },
    }),
  );
}

export interface ServiceKeyUse {
  /** A statement id, unique in the key policy. */
  readonly sid: string;
  /** The service principal, e.g. `sns.amazonaws.com` delivering to encrypted queues. */
  readonly service: string;
  /** The service that encrypts the data on the principal's behalf. */
  readonly via: EncryptingService;
  /** Resources (ARN patterns built from names) the principal writes to. */
  readonly resourceArns: readonly string[];
  /**
   * Also require `aws:SourceAccount`. AWS does not put it into the KMS request context for every service
   * (EventBridge delivering to a queue, for one), where the condition would silently drop every delivery.
   * @default true
   */
  readonly sourceAccount?: boolean;
}

/**
 * A key-policy statement for a service writing to this stage's encrypted resources on the account's behalf,
 * bound to those resources by encryption context.
 */
export function allowServiceKeyUse(key: kms.IKey, use: ServiceKeyUse): void {
  const conditions: Record<string, Record<string, unknown>> = encryptionContextCondition(use.via, use.resourceArns);
  if (use.sourceAccount ?? true) conditions.StringEquals = { 'aws:SourceAccount': Stack.of(key).account };
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: use.sid,
      principals: [new iam.ServicePrincipal(use.service)],
      actions: [...KMS_ACTIONS_FOR.write],
      resources: ['*'],
      conditions,
    }),
  );
}

/** Each key's one CloudWatch Logs statement and the log groups it admits so far. */
const logGroupStatements = new WeakMap<kms.IKey, { statement: iam.PolicyStatement; logGroupArns: string[] }>();

/**
 * The key-policy statement CloudWatch Logs requires for encrypted log groups ("Encrypt log data in CloudWatch
 * Logs using AWS KMS"): the regional Logs principal, limited by the `aws:logs:arn` encryption context to the
 * log groups named by `logGroupNamePatterns`. Each construct that encrypts a log group with the key calls it
 * for its own names; the patterns collect in one statement.
 */
export function allowLogGroupEncryption(key: kms.IKey, logGroupNamePatterns: readonly string[]): void {
  const stack = Stack.of(key);
  const arns = logGroupNamePatterns.map((pattern) =>
    stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: pattern,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  let entry = logGroupStatements.get(key);
  if (!entry) {
    entry = {
      logGroupArns: [],
      statement: new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisStage',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
      }),
    };
    logGroupStatements.set(key, entry);
    key.addToResourcePolicy(entry.statement);
  }
  entry.logGroupArns.push(...arns.filter((arn) => !entry.logGroupArns.includes(arn)));
  // Replaces the condition with the whole list: the statement object is already in the key policy.
  entry.statement.addCondition('ArnLike', {
    [`kms:EncryptionContext:${ENCRYPTION_CONTEXT_KEYS.logs}`]: [...entry.logGroupArns],
  });
}
