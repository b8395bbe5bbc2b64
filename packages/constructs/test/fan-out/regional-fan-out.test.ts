import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ALL_SERVICES,
  DuplicateServiceError,
  EncryptionKey,
  InvalidPropError,
  QuotaExceededError,
  RegionalFanOut,
  TARGET_SERVICES_ATTRIBUTE,
  assignShards,
  shardOf,
} from '../../src';

const SERVICES = Array.from({ length: 156 }, (_, i) => `service-${String(i).padStart(3, '0')}`);

function build(services: readonly string[] = SERVICES, shardCount = 4) {
  const stack = new Stack(new App(), 'Region', { env: { account: '123456789012', region: 'eu-west-1' } });
  const { key } = new EncryptionKey(stack, 'Key', { stage: 'pr-7', purpose: 'messaging' });
  const consumer = new lambda.Function(stack, 'CacheUpdater', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    timeout: Duration.seconds(20),
  });
  const fanOut = new RegionalFanOut(stack, 'FanOut', {
    stage: 'pr-7',
    services,
    encryptionKey: key,
    consumer,
    shardCount,
  });
  return { stack, fanOut, parent: Template.fromStack(stack), shards: fanOut.shards.map((s) => Template.fromStack(s)) };
}

describe('RegionalFanOut', () => {
  const built = build();

  test("SNS gets a data key for this stage's fan-out queues only (the encryption context), for this account", () => {
    const statements = Object.values(built.parent.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const sns = statements.filter((s: any) => s.Principal?.Service === 'sns.amazonaws.com');
    expect(sns).toHaveLength(1);
    expect(sns[0].Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(sns[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
    expect(JSON.stringify(sns[0].Condition.ArnLike['kms:EncryptionContext:aws:sqs:arn'])).toContain(
      ':sqs:eu-west-1:123456789012:pr-7-fanout-*',
    );
  });

  test('no stack comes near the 500-resource limit (≤ 450 each)', () => {
    const counts = [built.parent, ...built.shards].map((t) => Object.keys(t.toJSON().Resources).length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(450);
    // 156 services × (queue, dead-letter queue, subscription, event source mapping) + one policy per shard.
    expect(counts.slice(1).reduce((a, b) => a + b, 0)).toBe(156 * 4 + 4);
  });

  test('every service has exactly one queue, subscribed raw with a filter on its id or all services', () => {
    const filters = built.shards.flatMap((t) =>
      Object.values(t.findResources('AWS::SNS::Subscription')).map((r) => r.Properties),
    );
    expect(filters).toHaveLength(156);
    for (const props of filters) {
      expect(props.Protocol).toBe('sqs');
      expect(props.RawMessageDelivery).toBe(true);
      const allowed = props.FilterPolicy[TARGET_SERVICES_ATTRIBUTE];
      expect(allowed).toHaveLength(2);
      expect(allowed).toContain(ALL_SERVICES);
    }
    const targeted = filters.map((p) =>
      p.FilterPolicy[TARGET_SERVICES_ATTRIBUTE].find((v: string) => v !== ALL_SERVICES),
    );
    expect(new Set(targeted)).toEqual(new Set(SERVICES));
  });

  test('queues are KMS-encrypted, named from the stage, with a dead-letter queue after 5 receives', () => {
    built.shards[0].hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.stringLikeRegexp('^pr-7-fanout-service-\\d{3}$'),
      VisibilityTimeout: 120,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
  });

  test("every queue names the region's key by a literal alias, created before any shard", () => {
    const keyId = Object.keys(built.parent.findResources('AWS::KMS::Key'))[0];
    const aliases = built.parent.findResources('AWS::KMS::Alias', {
      Properties: { AliasName: 'alias/pr-7-fanout-queues' },
    });
    const [[aliasId, alias]] = Object.entries(aliases);
    expect(alias.Properties.TargetKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const queues = built.shards.flatMap((shard) => Object.values(shard.findResources('AWS::SQS::Queue')));
    expect(queues).toHaveLength(2 * SERVICES.length);
    // A literal, not a nested-stack parameter: cfn-guard's CT.SQS.PR.2 accepts only a string or a local reference.
    for (const queue of queues) expect(queue.Properties.KmsMasterKeyId).toBe('alias/pr-7-fanout-queues');
    const nested = Object.values(built.parent.findResources('AWS::CloudFormation::Stack'));
    expect(nested).toHaveLength(4);
    for (const shard of nested) expect(shard.DependsOn).toContain(aliasId);
  });

  test('each dead-letter queue accepts redrives from its own service queue only (SQS RedriveAllowPolicy byQueue)', () => {
    const queues = built.shards.flatMap((shard) => Object.values(shard.findResources('AWS::SQS::Queue')));
    const deadLetterQueues = queues.filter((q: any) => q.Properties.QueueName.startsWith('pr-7-fanoutdlq-'));
    expect(deadLetterQueues).toHaveLength(SERVICES.length);
    for (const dlq of deadLetterQueues as any[]) {
      const service = dlq.Properties.QueueName.replace('pr-7-fanoutdlq-', '');
      // Control Tower CT.SQS.PR.1: a dead-letter queue carries a redrive-allow policy (allowAll or byQueue).
      expect(dlq.Properties.RedriveAllowPolicy.redrivePermission).toBe('byQueue');
      const [source] = dlq.Properties.RedriveAllowPolicy.sourceQueueArns;
      expect(JSON.stringify(source)).toMatch(new RegExp(`:sqs:eu-west-1:123456789012:pr-7-fanout-${service}"`));
    }
  });

  test('one queue policy per shard: TLS only, and only the fan-out topic may send', () => {
    for (const shard of built.shards) {
      const policies = Object.values(shard.findResources('AWS::SQS::QueuePolicy'));
      expect(policies).toHaveLength(1);
      const queueCount = Object.keys(shard.findResources('AWS::SQS::Queue')).length;
      expect(policies[0].Properties.Queues).toHaveLength(queueCount);
      const [deny, send] = policies[0].Properties.PolicyDocument.Statement;
      expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      expect(send).toMatchObject({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
      });
      expect(send.Condition.ArnEquals['aws:SourceArn']).toBeDefined();
    }
  });

  test('each queue triggers the cache updater with partial batch failures and capped concurrency', () => {
    const mappings = built.shards.flatMap((t) =>
      Object.values(t.findResources('AWS::Lambda::EventSourceMapping')).map((r) => r.Properties),
    );
    expect(mappings).toHaveLength(156);
    for (const m of mappings) {
      expect(m).toMatchObject({
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    }
    const worstCase = mappings.reduce((sum, m) => sum + m.ScalingConfig.MaximumConcurrency, 0);
    expect(worstCase).toBeLessThan(1000);
  });

  test('the consumer may read only this stage fan-out queues, by name pattern', () => {
    built.parent.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'sqs:ReceiveMessage',
              'sqs:DeleteMessage',
              'sqs:ChangeMessageVisibility',
              'sqs:GetQueueAttributes',
            ],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':pr-7-fanout-\\*$')])] },
          }),
        ]),
      },
    });
  });

  test('the topic is encrypted and refuses plain HTTP', () => {
    built.parent.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'pr-7-flag-changes',
      KmsMasterKeyId: Match.anyValue(),
    });
    built.parent.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('more services than SNS filter policies per topic is refused', () => {
    const many = Array.from({ length: 201 }, (_, i) => `svc-${i}`);
    expect(() => build(many)).toThrow(QuotaExceededError);
    expect(() => build(many)).toThrow(/201 exceeds SNS's filter policies per topic \(200\): split the services/);
  });
});

describe('shard assignment', () => {
  test('adding services never moves an existing one', () => {
    const before = new Map(SERVICES.map((s) => [s, shardOf(s, 4)]));
    const more = [...SERVICES, 'new-payments', 'new-search', 'new-ledger'];
    for (const s of SERVICES) expect(shardOf(s, 4)).toBe(before.get(s));
    expect(assignShards(more, 4).flat()).toHaveLength(159);
  });

  test('shards stay balanced for the catalogue size (each within ±35% of the mean)', () => {
    const sizes = assignShards(SERVICES, 4).map((s) => s.length);
    for (const size of sizes) expect(Math.abs(size - 39)).toBeLessThanOrEqual(14);
  });

  test('invalid and duplicate ids are refused', () => {
    expect(() => assignShards(['Checkout'], 4)).toThrow(/must match/);
    expect(() => assignShards(['checkout', 'checkout'], 4)).toThrow(DuplicateServiceError);
    expect(() => assignShards(['checkout'], 0)).toThrow(InvalidPropError);
  });
});
