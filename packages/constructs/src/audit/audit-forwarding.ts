import { AUDIT_FORWARDING } from '@ffc/identifiers';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { allowServiceKeyUse, arnOfName } from '../encryption';
import { allowOnlyRuleToSend, failureDestinationQueue } from '../function';
import { resourceName } from '../naming';

/**
 * How a regional audit writer hands events on to the stage's one history: PutEvents to its region's default bus
 * with AUDIT_FORWARDING's source and detail type, the audit event (with its `stage`) as the detail.
 */
export { AUDIT_FORWARDING };

/** The default bus is shared by every stage of the account and region: each stage's rules match its own events. */
export function auditEventPattern(stage: string): events.EventPattern {
  return { source: [AUDIT_FORWARDING.source], detailType: [AUDIT_FORWARDING.detailType], detail: { stage: [stage] } };
}

export interface AuditRouteProps {
  /** Stage name: the rule is `<stage>-<purpose>`, its dead-letter queue `<stage>-<purpose>-dlq`. */
  readonly stage: string;
  /** `audit-forwarding` (to the primary region's bus) or `audit-history` (into the primary region's audit queue). */
  readonly purpose: string;
  /** Encrypts the dead-letter queue; EventBridge may use it for the queues it delivers to, and nothing else. */
  readonly encryptionKey: kms.IKey;
  /** Retained in production. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A rule on this region's default bus for the stage's audit events, with a dead-letter queue of its own: what
 * EventBridge cannot deliver after its retries (24 h) waits there 14 days instead of being dropped.
 */
export class AuditRoute extends Construct {
  readonly rule: events.Rule;
  readonly deadLetters: sqs.Queue;
  private readonly ruleName: string;
  private readonly deadLettersName: string;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: AuditRouteProps) {
    super(scope, id);
    this.ruleName = resourceName(props.stage, props.purpose);
    this.deadLettersName = `${this.ruleName}-dlq`;
    this.encryptionKey = props.encryptionKey;
    this.deadLetters = failureDestinationQueue(this, 'Dlq', {
      queueName: this.deadLettersName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is the dead-letter queue of the rule's target (EventBridge DeadLetterConfig), not a work queue.",
    });
    // No eventBus: the region's default bus, which cross-region delivery reaches and the writer's endpoint admits.
    this.rule = new events.Rule(this, 'Resource', {
      ruleName: this.ruleName,
      eventPattern: auditEventPattern(props.stage),
    });
  }

  /** Delivers each matching event's `detail` (the audit event as its producer sent it) to `queue`, in this region. */
  toQueue(queue: sqs.Queue, queueName: string): void {
    this.rule.addTarget({
      bind: () => ({
        arn: queue.queueArn,
        deadLetterConfig: { arn: this.deadLetters.queueArn },
        input: events.RuleTargetInput.fromEventPath('$.detail'),
      }),
    });
    this.allowRuleToSend([queue, this.deadLetters], [queueName, this.deadLettersName]);
  }

  /**
   * Delivers each matching event, unchanged, to `busArn` in another region (EventBridge cross-region delivery:
   * the target is the bus ARN plus a role that may PutEvents to that bus and nowhere else).
   */
  toBus(busArn: string): void {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'DeliveryRole', {
      // Confused-deputy protection: only this rule of this account (its name is known before it exists: no cycle).
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: {
          'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: this.ruleName }),
        },
      }),
      description: `ffc ${this.ruleName}: delivers audit events to the primary region's event bus`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn] }));
    this.rule.addTarget({
      bind: () => ({ arn: busArn, role, deadLetterConfig: { arn: this.deadLetters.queueArn } }),
    });
    this.allowRuleToSend([this.deadLetters], [this.deadLettersName]);
  }

  /** Only this rule of this account may send to the queues, and use the key for them alone. */
  private allowRuleToSend(queues: sqs.Queue[], names: string[]): void {
    for (const queue of queues) allowOnlyRuleToSend(queue, this.rule, 'OnlyTheAuditRule');
    // EventBridge passes no source keys to KMS (see ServiceKeyUse.sourceAccount); the encryption context binds it.
    allowServiceKeyUse(this.encryptionKey, {
      sid: `EventBridgeTo${this.node.id}Queues`,
      service: 'events.amazonaws.com',
      via: 'sqs',
      resourceArns: names.map((name) => arnOfName(this, 'sqs', name)),
      sourceAccount: false,
    });
  }
}
