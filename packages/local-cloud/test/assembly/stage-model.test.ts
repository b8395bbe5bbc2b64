import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCloudAssembly } from '../../src/assembly/cloud-assembly';
import { buildStageModel, rewriteEndpoints } from '../../src/assembly/stage-model';
import { NotEmulatedError } from '../../src/errors';

const endpoints = {
  gatewayUrl: 'http://127.0.0.1:4566',
  redisUrl: (region: string) => `redis://127.0.0.1:${region === 'eu-west-1' ? 6401 : 6402}`,
  opensearchUrl: 'http://127.0.0.1:9211',
};

/** A two-stack assembly in the shape CDK writes: a regional stack with one nested shard. */
function writeAssembly(mutate: (regional: any, nested: any) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
  const regional = {
    Resources: {
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 't-flag-changes', KmsMasterKeyId: 'k' } },
      Updater: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:asset:path': 'asset.abc' },
        Properties: {
          FunctionName: 't-cache-updater',
          Handler: 'index.handler',
          Timeout: 20,
          Environment: {
            Variables: {
              REDIS_URL: {
                'Fn::Join': ['', ['rediss://', { 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Address'] }, ':6380']],
              },
              TOPIC: { Ref: 'Topic' },
              WHERE: { 'Fn::Sub': '${AWS::Region}/${Topic.TopicName}' },
            },
          },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: 'Logs' } },
        },
      },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/t-cache-updater' } },
      Redis: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { Port: 6380 } },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      Shard: {
        Type: 'AWS::CloudFormation::Stack',
        Metadata: { 'aws:asset:path': 'shard.nested.template.json' },
        Properties: { Parameters: { topicRef: { Ref: 'Topic' }, updaterRef: { Ref: 'Updater' } } },
      },
    },
  };
  const nested = {
    Parameters: { topicRef: { Type: 'String' }, updaterRef: { Type: 'String' } },
    Resources: {
      Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 't-fanoutdlq-checkout-api' } },
      Queue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 't-fanout-checkout-api',
          VisibilityTimeout: 120,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 5 },
        },
      },
      Subscription: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'topicRef' },
          Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          Protocol: 'sqs',
          RawMessageDelivery: true,
          FilterPolicy: { targetServices: ['checkout-api', '*'] },
        },
      },
      Mapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'updaterRef' },
          EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          BatchSize: 10,
          ScalingConfig: { MaximumConcurrency: 2 },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
    },
  };
  mutate(regional, nested);
  fs.writeFileSync(path.join(dir, 'regional.template.json'), JSON.stringify(regional));
  fs.writeFileSync(path.join(dir, 'shard.nested.template.json'), JSON.stringify(nested));
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        'regional.assets': { type: 'cdk:asset-manifest' },
        't-region-eu-west-1': {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/eu-west-1',
          properties: { templateFile: 'regional.template.json' },
        },
      },
    }),
  );
  return dir;
}

const model = (dir: string) => buildStageModel(readCloudAssembly(dir), dir, endpoints);

describe('the stage model read from a cloud assembly', () => {
  it('follows nested-stack parameters to the parent resources they reference', () => {
    const m = model(writeAssembly());
    expect(m.subscriptions).toEqual([
      expect.objectContaining({
        topicArn: 'arn:aws:sns:eu-west-1:000000000000:t-flag-changes',
        queueArn: 'arn:aws:sqs:eu-west-1:000000000000:t-fanout-checkout-api',
        rawMessageDelivery: true,
        filterPolicy: { targetServices: ['checkout-api', '*'] },
      }),
    ]);
    expect(m.eventSourceMappings[0]).toEqual(
      expect.objectContaining({
        kind: 'sqs',
        functionName: 't-cache-updater',
        batchSize: 10,
        maximumConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
  });

  it('gives queues the URL of the gateway and links their dead-letter queues', () => {
    const queue = model(writeAssembly()).queues.find((q) => q.name === 't-fanout-checkout-api')!;
    expect(queue.url).toBe('http://127.0.0.1:4566/000000000000/t-fanout-checkout-api');
    expect(queue.redrive).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:000000000000:t-fanoutdlq-checkout-api',
      maxReceiveCount: 5,
    });
    expect(queue.visibilityTimeoutSeconds).toBe(120);
  });

  it("resolves a function's environment, mapping the TLS Redis endpoint to the region's local Redis", () => {
    const fn = model(writeAssembly()).functions[0];
    expect(fn.environment).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6401',
      TOPIC: 'arn:aws:sns:eu-west-1:000000000000:t-flag-changes',
      WHERE: 'eu-west-1/t-flag-changes',
    });
    expect(fn.logGroupName).toBe('/aws/lambda/t-cache-updater');
    expect(fn.logFormat).toBe('JSON');
  });

  it('a changed filter policy in the template changes the model (nothing is declared twice)', () => {
    const m = model(
      writeAssembly(
        (_r, nested) => (nested.Resources.Subscription.Properties.FilterPolicy = { targetServices: ['search'] }),
      ),
    );
    expect(m.subscriptions[0].filterPolicy).toEqual({ targetServices: ['search'] });
  });

  it.each([
    [
      'an unknown resource type',
      (r: any) => (r.Resources.Table = { Type: 'AWS::RDS::DBInstance', Properties: {} }),
      /AWS::RDS::DBInstance/,
    ],
    [
      'a property it does not emulate',
      (_r: any, n: any) => (n.Resources.Queue.Properties.ContentBasedDeduplication = true),
      /SQS::Queue\.ContentBasedDeduplication/,
    ],
    ['a FIFO queue', (_r: any, n: any) => (n.Resources.Queue.Properties.FifoQueue = true), /FifoQueue/],
    [
      'an intrinsic it does not resolve',
      (r: any) => (r.Resources.Updater.Properties.Environment.Variables.X = { 'Fn::ImportValue': 'x' }),
      /Fn::ImportValue/,
    ],
    [
      'a subscription that is not SQS',
      (_r: any, n: any) => (n.Resources.Subscription.Properties.Protocol = 'lambda'),
      /protocol 'lambda'/,
    ],
    [
      'a parallelised stream source',
      (_r: any, n: any) => (n.Resources.Mapping.Properties.ParallelizationFactor = 2),
      /ParallelizationFactor 2/,
    ],
  ])('refuses %s, naming the resource', (_what, mutate, message) => {
    const dir = writeAssembly(mutate as never);
    expect(() => model(dir)).toThrow(NotEmulatedError);
    expect(() => model(dir)).toThrow(message);
  });

  describe("a dead-letter queue's RedriveAllowPolicy (SQS refuses a source it does not allow)", () => {
    const allowing = (policy: unknown) =>
      writeAssembly((_r, n) => (n.Resources.Dlq.Properties.RedriveAllowPolicy = policy));
    const byQueue = (arn: unknown) => ({ redrivePermission: 'byQueue', sourceQueueArns: [arn] });

    it('admits the source it names, as the ARN the template builds from the queue name', () => {
      const dir = allowing(
        byQueue({
          'Fn::Join': [
            '',
            ['arn:aws:sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':t-fanout-checkout-api'],
          ],
        }),
      );
      expect(model(dir).queues.find((q) => q.name === 't-fanout-checkout-api')?.redrive).toBeDefined();
      expect(() => model(allowing({ redrivePermission: 'allowAll' }))).not.toThrow();
    });

    it.each([
      ['another source', byQueue('arn:aws:sqs:eu-west-1:000000000000:t-fanout-search')],
      ['no source at all', { redrivePermission: 'denyAll' }],
    ])('refuses a dead-letter queue that allows %s', (_what, policy) => {
      expect(() => model(allowing(policy))).toThrow(
        /Queue: its dead-letter queue arn:aws:sqs:eu-west-1:000000000000:t-fanoutdlq-checkout-api does not allow it as a source/,
      );
    });
  });

  it('refuses a stack without an explicit region', () => {
    const dir = writeAssembly();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.artifacts['t-region-eu-west-1'].environment = 'aws://unknown-account/unknown-region';
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect(() => readCloudAssembly(dir)).toThrow(/no explicit region/);
  });
});

describe('rewriteEndpoints', () => {
  it('maps only the placeholder hosts the model gave the templates', () => {
    expect(rewriteEndpoints('https://opensearch.local-cloud.internal', endpoints)).toBe('http://127.0.0.1:9211');
    expect(rewriteEndpoints('rediss://redis.eu-central-1.local-cloud.internal:6380', endpoints)).toBe(
      'redis://127.0.0.1:6402',
    );
    expect(rewriteEndpoints('rediss://example.com:6380', endpoints)).toBe('rediss://example.com:6380');
  });
});
