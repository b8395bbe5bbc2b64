import * as path from 'node:path';
import { LocalCloudError, NotEmulatedError } from '../errors';
import { AssemblyStack, TemplateResource, resourcesOf } from './cloud-assembly';
import { IntrinsicResolver } from './intrinsics';
import { RedisUserSpec, readRedisUsers } from './redis-users';

/** What one stage runs, read from its templates: nothing of the wiring is declared again in code. */
export interface StageModel {
  readonly regions: readonly string[];
  readonly globalTables: readonly GlobalTableSpec[];
  readonly functions: readonly FunctionSpec[];
  readonly queues: readonly QueueSpec[];
  readonly topics: readonly TopicSpec[];
  readonly subscriptions: readonly SubscriptionSpec[];
  readonly eventSourceMappings: readonly EventSourceMappingSpec[];
  readonly eventBuses: readonly { readonly region: string; readonly name: string; readonly arn: string }[];
  readonly rules: readonly RuleSpec[];
  readonly stateMachines: readonly StateMachineSpec[];
  readonly secrets: readonly SecretSpec[];
  /** The ElastiCache users each region's Redis admits (its replication group's user groups). */
  readonly redisUsers: readonly RedisUserSpec[];
  readonly logGroups: readonly { readonly region: string; readonly name: string }[];
}

export interface GlobalTableSpec {
  readonly tableName: string;
  readonly regions: readonly string[];
  readonly keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  readonly streamViewType: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
}

export interface FunctionSpec {
  readonly region: string;
  readonly where: string;
  readonly name: string;
  readonly arn: string;
  /** The bundled code: `<assetDirectory>/<file>.js` exporting the handler. */
  readonly assetDirectory: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logGroupName: string;
  readonly logFormat: 'Text' | 'JSON';
}

export interface QueueSpec {
  readonly region: string;
  readonly where: string;
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly delaySeconds: number;
  readonly maximumMessageSizeBytes?: number;
  readonly redrive?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

export interface TopicSpec {
  readonly region: string;
  readonly where: string;
  readonly name: string;
  readonly arn: string;
}

export interface SubscriptionSpec {
  readonly region: string;
  readonly where: string;
  readonly topicArn: string;
  readonly queueArn: string;
  readonly rawMessageDelivery: boolean;
  readonly filterPolicy?: unknown;
  readonly filterPolicyScope: 'MessageAttributes' | 'MessageBody';
}

export interface EventSourceMappingSpec {
  readonly region: string;
  readonly where: string;
  readonly kind: 'sqs' | 'dynamodb';
  readonly functionName: string;
  readonly eventSourceArn: string;
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency?: number;
  readonly reportBatchItemFailures: boolean;
  readonly filterPatterns: readonly unknown[];
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  readonly bisectBatchOnFunctionError?: boolean;
  readonly maximumRetryAttempts?: number;
  readonly maximumRecordAgeSeconds?: number;
  readonly onFailureArn?: string;
}

export interface RuleSpec {
  readonly region: string;
  readonly where: string;
  readonly eventBusName: string;
  readonly enabled: boolean;
  readonly pattern: unknown;
  readonly targets: readonly RuleTargetSpec[];
}

/** An SQS queue or an event bus (of this region or another): what the local buses deliver to. */
export interface RuleTargetSpec {
  readonly id: string;
  readonly arn: string;
  readonly deadLetterArn?: string;
  /** The role EventBridge assumes for the target (an event bus in another region needs one). */
  readonly roleArn?: string;
  /** Delivers this part of the event instead of the whole event. */
  readonly inputPath?: string;
}

export interface StateMachineSpec {
  readonly region: string;
  readonly where: string;
  readonly name: string;
  readonly arn: string;
  readonly type: 'EXPRESS' | 'STANDARD';
  readonly definition: Record<string, unknown>;
}

export interface SecretSpec {
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly passwordLength: number;
}

/** Local endpoints the templates' service endpoints map to. */
export interface LocalEndpoints {
  /** The gateway's base URL: queue URLs point at it, so the SDK reaches it whichever endpoint it prefers. */
  readonly gatewayUrl: string;
  readonly opensearchUrl: string;
  /** The region's Redis, e.g. `redis://127.0.0.1:6401`. */
  redisUrl(region: string): string;
}

/** Resource types that have no local behaviour (network, IAM, encryption, alarms): read, not run. */
const INFRASTRUCTURE_ONLY = new Set([
  'AWS::CDK::Metadata',
  'AWS::CloudFormation::Stack',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::EC2::FlowLog',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCEndpoint',
  'AWS::ElastiCache::SubnetGroup',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::IAM::ManagedPolicy',
  'AWS::KMS::Alias',
  'AWS::KMS::Key',
  'AWS::Logs::ResourcePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::SecretsManager::RotationSchedule',
  'AWS::Lambda::Permission',
  'Custom::VpcRestrictDefaultSG',
]);

/** Properties of run resources that only matter in AWS (encryption, tags, placement): not emulated, not refused. */
const INERT_PROPERTIES = new Set([
  'Tags',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'KmsKeyArn',
  'KmsKeyId',
  'SqsManagedSseEnabled',
  'Architectures',
  'Role',
  'RoleArn',
  'VpcConfig',
  'TracingConfig',
  'TracingConfiguration',
  'LoggingConfiguration',
  'Description',
  'Runtime',
  'ServiceToken',
  'InstallLatestAwsSdk',
  'ReservedConcurrentExecutions',
]);

const RUN_PROPERTIES: Record<string, readonly string[]> = {
  'AWS::DynamoDB::GlobalTable': [
    'TableName',
    'KeySchema',
    'AttributeDefinitions',
    'BillingMode',
    'Replicas',
    'StreamSpecification',
    'SSESpecification',
    'TimeToLiveSpecification',
    'WriteOnDemandThroughputSettings',
    'WriteProvisionedThroughputSettings',
  ],
  'AWS::Lambda::Function': ['FunctionName', 'Handler', 'Code', 'Timeout', 'MemorySize', 'Environment', 'LoggingConfig'],
  'AWS::Lambda::EventSourceMapping': [
    'FunctionName',
    'EventSourceArn',
    'Enabled',
    'BatchSize',
    'MaximumBatchingWindowInSeconds',
    'ScalingConfig',
    'FunctionResponseTypes',
    'FilterCriteria',
    'StartingPosition',
    'BisectBatchOnFunctionError',
    'MaximumRetryAttempts',
    'MaximumRecordAgeInSeconds',
    'DestinationConfig',
    'ParallelizationFactor',
  ],
  'AWS::SQS::Queue': [
    'QueueName',
    'VisibilityTimeout',
    'MessageRetentionPeriod',
    'DelaySeconds',
    'MaximumMessageSize',
    'ReceiveMessageWaitTimeSeconds',
    'RedrivePolicy',
    'RedriveAllowPolicy',
  ],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SNS::Subscription': [
    'TopicArn',
    'Endpoint',
    'Protocol',
    'RawMessageDelivery',
    'FilterPolicy',
    'FilterPolicyScope',
    'Region',
  ],
  'AWS::Events::EventBus': ['Name'],
  'AWS::Events::Rule': ['Name', 'EventBusName', 'EventPattern', 'State', 'Targets'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName', 'StateMachineType', 'DefinitionString', 'Definition'],
  'AWS::SecretsManager::Secret': ['Name', 'GenerateSecretString'],
  'AWS::Logs::LogGroup': ['LogGroupName', 'RetentionInDays', 'DataProtectionPolicy'],
  'AWS::ElastiCache::ReplicationGroup': [],
  'AWS::ElastiCache::User': ['UserId', 'UserName', 'Engine', 'AccessString', 'Passwords'],
  'AWS::ElastiCache::UserGroup': ['UserGroupId', 'Engine', 'UserIds'],
  'AWS::OpenSearchService::Domain': [],
  'Custom::AWS': ['Create', 'Update', 'Delete'],
};

/** Placeholder hosts for endpoints whose local address is decided when the engines are known. */
const redisHost = (region: string) => `redis.${region}.local-cloud.internal`;
const OPENSEARCH_HOST = 'opensearch.local-cloud.internal';

/**
 * Reads the stage from its stacks. Every resource is either run (its properties checked against what the
 * local cloud emulates) or known to have no local behaviour; any other type or property is refused.
 */
export function buildStageModel(
  stacks: readonly AssemblyStack[],
  assemblyDirectory: string,
  endpoints: LocalEndpoints,
): StageModel {
  checkEverythingIsKnown(stacks);
  const ids = new Identities(endpoints.gatewayUrl);
  const resolver = new IntrinsicResolver((stack, logicalId, attribute) => ids.attribute(stack, logicalId, attribute));
  ids.resolver = resolver;
  const where = (stack: AssemblyStack, logicalId: string) => `${stack.id}/${logicalId}`;
  const props = (stack: AssemblyStack, logicalId: string, resource: TemplateResource) =>
    resolver.resolve(stack, resource.Properties ?? {}, where(stack, logicalId)) as Record<string, any>;
  const rewrite = (value: string) => rewriteEndpoints(value, endpoints);

  const globalTables: GlobalTableSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::DynamoDB::GlobalTable')) {
    const p = props(stack, logicalId, resource);
    const view = p.StreamSpecification?.StreamViewType;
    if (!view) throw new NotEmulatedError(where(stack, logicalId), 'a global table without a stream');
    const regions = (p.Replicas as { Region: string }[]).map((r) => r.Region);
    globalTables.push({
      tableName: String(p.TableName ?? ids.name(stack, logicalId)),
      regions: regions.includes(stack.region) ? regions : [stack.region, ...regions],
      keySchema: p.KeySchema,
      attributeDefinitions: p.AttributeDefinitions,
      streamViewType: view,
    });
  }

  const logGroups = [...resourcesOf(stacks, 'AWS::Logs::LogGroup')].map(({ stack, logicalId }) => ({
    region: stack.region,
    name: ids.attribute(stack, logicalId, 'Ref') as string,
  }));

  const functions: FunctionSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::Lambda::Function')) {
    const asset = resource.Metadata?.['aws:asset:path'];
    // Custom-resource providers run at deploy time only; the local cloud deploys nothing.
    if (typeof asset !== 'string') continue;
    const p = props(stack, logicalId, resource);
    const name = ids.attribute(stack, logicalId, 'Ref') as string;
    functions.push({
      region: stack.region,
      where: where(stack, logicalId),
      name,
      arn: ids.attribute(stack, logicalId, 'Arn') as string,
      assetDirectory: path.resolve(assemblyDirectory, asset),
      handler: String(p.Handler ?? 'index.handler'),
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      environment: Object.fromEntries(
        Object.entries((p.Environment?.Variables ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          rewrite(String(v)),
        ]),
      ),
      logGroupName: String(p.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`),
      logFormat: p.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    });
  }

  const queues: QueueSpec[] = [];
  const redriveAllowed = new Map<string, (sourceArn: string) => boolean>();
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::SQS::Queue')) {
    const p = props(stack, logicalId, resource);
    if (p.FifoQueue) throw new NotEmulatedError(where(stack, logicalId), 'FifoQueue');
    const arn = ids.attribute(stack, logicalId, 'Arn') as string;
    if (p.RedriveAllowPolicy) {
      redriveAllowed.set(arn, redriveAllowPolicy(where(stack, logicalId), p.RedriveAllowPolicy));
    }
    queues.push({
      region: stack.region,
      where: where(stack, logicalId),
      name: ids.attribute(stack, logicalId, 'QueueName') as string,
      arn: ids.attribute(stack, logicalId, 'Arn') as string,
      url: ids.attribute(stack, logicalId, 'Ref') as string,
      visibilityTimeoutSeconds: Number(p.VisibilityTimeout ?? 30),
      messageRetentionSeconds: Number(p.MessageRetentionPeriod ?? 345_600),
      delaySeconds: Number(p.DelaySeconds ?? 0),
      maximumMessageSizeBytes: p.MaximumMessageSize === undefined ? undefined : Number(p.MaximumMessageSize),
      redrive: p.RedrivePolicy
        ? {
            deadLetterTargetArn: String(p.RedrivePolicy.deadLetterTargetArn),
            maxReceiveCount: Number(p.RedrivePolicy.maxReceiveCount),
          }
        : undefined,
    });
  }
  // SQS refuses a redrive policy whose dead-letter queue does not allow the source (the deploy would fail).
  for (const queue of queues) {
    const allows = queue.redrive && redriveAllowed.get(queue.redrive.deadLetterTargetArn);
    if (allows && !allows(queue.arn)) {
      throw new LocalCloudError(
        `${queue.where}: its dead-letter queue ${queue.redrive!.deadLetterTargetArn} does not allow it as a source (RedriveAllowPolicy); SQS would refuse the RedrivePolicy`,
      );
    }
  }

  const topics = [...resourcesOf(stacks, 'AWS::SNS::Topic')].map(({ stack, logicalId, resource }) => {
    if (resource.Properties?.FifoTopic) throw new NotEmulatedError(where(stack, logicalId), 'FifoTopic');
    return {
      region: stack.region,
      where: where(stack, logicalId),
      name: ids.attribute(stack, logicalId, 'TopicName') as string,
      arn: ids.attribute(stack, logicalId, 'Ref') as string,
    };
  });

  const subscriptions: SubscriptionSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::SNS::Subscription')) {
    const p = props(stack, logicalId, resource);
    if (p.Protocol !== 'sqs') {
      throw new NotEmulatedError(where(stack, logicalId), `subscription protocol '${p.Protocol}'`);
    }
    subscriptions.push({
      region: stack.region,
      where: where(stack, logicalId),
      topicArn: String(p.TopicArn),
      queueArn: String(p.Endpoint),
      rawMessageDelivery: p.RawMessageDelivery === true || p.RawMessageDelivery === 'true',
      filterPolicy: typeof p.FilterPolicy === 'string' ? JSON.parse(p.FilterPolicy) : p.FilterPolicy,
      filterPolicyScope: p.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
    });
  }

  const eventSourceMappings: EventSourceMappingSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::Lambda::EventSourceMapping')) {
    const p = props(stack, logicalId, resource);
    const here = where(stack, logicalId);
    const source = String(p.EventSourceArn);
    const kind = source.startsWith('arn:aws:sqs:')
      ? 'sqs'
      : source.includes(':dynamodb:') && source.includes('/stream/')
        ? 'dynamodb'
        : undefined;
    if (!kind) throw new NotEmulatedError(here, `an event source mapping from ${source}`);
    if (p.ParallelizationFactor !== undefined && Number(p.ParallelizationFactor) !== 1) {
      throw new NotEmulatedError(here, `ParallelizationFactor ${p.ParallelizationFactor}`);
    }
    const responseTypes = (p.FunctionResponseTypes ?? []) as string[];
    eventSourceMappings.push({
      region: stack.region,
      where: here,
      kind,
      functionName: functionNameOf(String(p.FunctionName)),
      eventSourceArn: source,
      enabled: p.Enabled !== false && p.Enabled !== 'false',
      batchSize: Number(p.BatchSize ?? (kind === 'sqs' ? 10 : 100)),
      maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
      maximumConcurrency:
        p.ScalingConfig?.MaximumConcurrency === undefined ? undefined : Number(p.ScalingConfig.MaximumConcurrency),
      reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      filterPatterns: ((p.FilterCriteria?.Filters ?? []) as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern)),
      startingPosition: p.StartingPosition,
      bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
      maximumRetryAttempts: p.MaximumRetryAttempts === undefined ? undefined : Number(p.MaximumRetryAttempts),
      maximumRecordAgeSeconds:
        p.MaximumRecordAgeInSeconds === undefined ? undefined : Number(p.MaximumRecordAgeInSeconds),
      onFailureArn: p.DestinationConfig?.OnFailure?.Destination,
    });
  }

  const eventBuses = [...resourcesOf(stacks, 'AWS::Events::EventBus')].map(({ stack, logicalId }) => ({
    region: stack.region,
    name: ids.attribute(stack, logicalId, 'Ref') as string,
    arn: ids.attribute(stack, logicalId, 'Arn') as string,
  }));

  const rules: RuleSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::Events::Rule')) {
    const p = props(stack, logicalId, resource);
    const here = where(stack, logicalId);
    if (p.ScheduleExpression) throw new NotEmulatedError(here, 'ScheduleExpression');
    rules.push({
      region: stack.region,
      where: here,
      eventBusName: String(p.EventBusName ?? 'default'),
      enabled: (p.State ?? 'ENABLED') === 'ENABLED',
      pattern: typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern,
      targets: ((p.Targets ?? []) as Record<string, any>[]).map((t, i) => {
        for (const key of Object.keys(t)) {
          if (!['Id', 'Arn', 'DeadLetterConfig', 'RetryPolicy', 'RoleArn', 'InputPath'].includes(key)) {
            throw new NotEmulatedError(`${here}.Targets[${i}]`, key);
          }
        }
        if (!/^arn:aws:(sqs|events):/.test(String(t.Arn))) {
          throw new NotEmulatedError(`${here}.Targets[${i}]`, `a target other than SQS or an event bus (${t.Arn})`);
        }
        return {
          id: String(t.Id),
          arn: String(t.Arn),
          deadLetterArn: t.DeadLetterConfig?.Arn,
          roleArn: t.RoleArn === undefined ? undefined : String(t.RoleArn),
          inputPath: t.InputPath === undefined ? undefined : String(t.InputPath),
        };
      }),
    });
  }

  const stateMachines: StateMachineSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOf(stacks, 'AWS::StepFunctions::StateMachine')) {
    const p = props(stack, logicalId, resource);
    const definition = p.Definition ?? JSON.parse(String(p.DefinitionString));
    if (definition.QueryLanguage === 'JSONata') {
      throw new NotEmulatedError(where(stack, logicalId), 'QueryLanguage JSONata');
    }
    stateMachines.push({
      region: stack.region,
      where: where(stack, logicalId),
      name: ids.attribute(stack, logicalId, 'Name') as string,
      arn: ids.attribute(stack, logicalId, 'Ref') as string,
      type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      definition,
    });
  }

  const secrets = [...resourcesOf(stacks, 'AWS::SecretsManager::Secret')].map(({ stack, logicalId, resource }) => ({
    region: stack.region,
    name: ids.name(stack, logicalId),
    arn: ids.attribute(stack, logicalId, 'Ref') as string,
    passwordLength: Number(
      (resource.Properties?.GenerateSecretString as { PasswordLength?: number })?.PasswordLength ?? 32,
    ),
  }));

  // The global table's own region first: it is where operators write (the primary region).
  const tableRegion = [...resourcesOf(stacks, 'AWS::DynamoDB::GlobalTable')][0]?.stack.region;
  const regions = [...new Set([tableRegion, ...stacks.filter((s) => !s.parent).map((s) => s.region)])].filter(
    (region): region is string => region !== undefined,
  );
  return {
    regions,
    globalTables,
    functions,
    queues,
    topics,
    subscriptions,
    eventSourceMappings,
    eventBuses,
    rules,
    stateMachines,
    secrets,
    redisUsers: readRedisUsers(stacks, props),
    logGroups,
  };
}

function functionNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] : nameOrArn;
}

function checkEverythingIsKnown(stacks: readonly AssemblyStack[]): void {
  for (const { stack, logicalId, resource } of resourcesOf(stacks)) {
    if (INFRASTRUCTURE_ONLY.has(resource.Type)) continue;
    const known = RUN_PROPERTIES[resource.Type];
    if (!known) throw new NotEmulatedError(`${stack.id}/${logicalId}`, `the resource type ${resource.Type}`);
    if (resource.Type === 'AWS::ElastiCache::ReplicationGroup' || resource.Type === 'AWS::OpenSearchService::Domain') {
      continue;
    }
    for (const property of Object.keys(resource.Properties ?? {})) {
      if (!known.includes(property) && !INERT_PROPERTIES.has(property)) {
        throw new NotEmulatedError(`${stack.id}/${logicalId}`, `the property ${resource.Type}.${property}`);
      }
    }
  }
}

/** Replaces a template's Redis and OpenSearch endpoints (TLS, in the VPC) with the local engines on loopback. */
export function rewriteEndpoints(value: string, endpoints: LocalEndpoints): string {
  return value
    .replace(/rediss?:\/\/redis\.([a-z0-9-]+)\.local-cloud\.internal(:\d+)?/g, (_, region: string) =>
      endpoints.redisUrl(region),
    )
    .replace(/https?:\/\/opensearch\.local-cloud\.internal(:\d+)?/g, endpoints.opensearchUrl);
}

/** Physical names and ARNs as AWS would give them, with queue URLs on the gateway. */
class Identities {
  resolver?: IntrinsicResolver;
  constructor(private readonly gatewayUrl: string) {}

  name(stack: AssemblyStack, logicalId: string): string {
    const resource = stack.template.Resources[logicalId];
    const nameProperty = NAME_PROPERTIES[resource.Type];
    const given = nameProperty ? resource.Properties?.[nameProperty] : undefined;
    if (given !== undefined) return this.resolver!.string(stack, given, `${stack.id}/${logicalId}.${nameProperty}`);
    return `${stack.id.replace(/[^A-Za-z0-9-]/g, '-')}-${logicalId}`.slice(0, 64);
  }

  attribute(stack: AssemblyStack, logicalId: string, attribute: string): unknown {
    const resource = stack.template.Resources[logicalId];
    const { region, account } = stack;
    const name = () => this.name(stack, logicalId);
    const arn = (service: string, resourcePart: string) => `arn:aws:${service}:${region}:${account}:${resourcePart}`;
    const key = `${resource.Type}#${attribute}`;
    switch (key) {
      case 'AWS::SQS::Queue#Ref':
      case 'AWS::SQS::Queue#QueueUrl':
        return `${this.gatewayUrl}/${account}/${name()}`;
      case 'AWS::SQS::Queue#Arn':
        return arn('sqs', name());
      case 'AWS::SQS::Queue#QueueName':
        return name();
      case 'AWS::SNS::Topic#Ref':
      case 'AWS::SNS::Topic#TopicArn':
        return arn('sns', name());
      case 'AWS::SNS::Topic#TopicName':
        return name();
      case 'AWS::Lambda::Function#Ref':
        return name();
      case 'AWS::Lambda::Function#Arn':
        return arn('lambda', `function:${name()}`);
      case 'AWS::Events::EventBus#Ref':
      case 'AWS::Events::EventBus#Name':
        return name();
      case 'AWS::Events::EventBus#Arn':
        return arn('events', `event-bus/${name()}`);
      case 'AWS::StepFunctions::StateMachine#Ref':
      case 'AWS::StepFunctions::StateMachine#Arn':
        return arn('states', `stateMachine:${name()}`);
      case 'AWS::StepFunctions::StateMachine#Name':
        return name();
      case 'AWS::SecretsManager::Secret#Ref':
      case 'AWS::SecretsManager::Secret#Id':
        return arn('secretsmanager', `secret:${name()}-local`);
      case 'AWS::Logs::LogGroup#Ref':
        return name();
      case 'AWS::Logs::LogGroup#Arn':
        return arn('logs', `log-group:${name()}:*`);
      case 'AWS::ElastiCache::ReplicationGroup#PrimaryEndPoint.Address':
        return redisHost(region);
      case 'AWS::OpenSearchService::Domain#DomainEndpoint':
        return OPENSEARCH_HOST;
      case 'Custom::AWS#Table.LatestStreamArn':
        return localStreamArn(stack, resource);
      default:
        // Identities nothing runnable reads (roles, keys, security groups): a stable placeholder.
        return attribute === 'Ref' ? name() : `${name()}.${attribute}`;
    }
  }
}

const NAME_PROPERTIES: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::ElastiCache::UserGroup': 'UserGroupId',
};

/**
 * The one AwsCustomResource the stage uses: DynamoDB describeTable → Table.LatestStreamArn of the region's
 * replica. The local cloud answers with a token the runner swaps for the replica's real stream ARN.
 */
function localStreamArn(stack: AssemblyStack, resource: TemplateResource): string {
  const call = JSON.parse(String(resource.Properties?.Create ?? '{}')) as {
    service?: string;
    action?: string;
    parameters?: { TableName?: string };
  };
  if (call.service !== 'DynamoDB' || call.action !== 'describeTable' || !call.parameters?.TableName) {
    throw new LocalCloudError(
      `${stack.id}: only the DynamoDB describeTable custom resource is emulated, got ${call.service}.${call.action}`,
    );
  }
  return `arn:aws:dynamodb:${stack.region}:${stack.account}:table/${call.parameters.TableName}/stream/latest`;
}

/** A dead-letter queue's RedriveAllowPolicy as SQS documents it: allowAll, denyAll, or byQueue with up to 10 sources. */
function redriveAllowPolicy(here: string, policy: unknown): (sourceArn: string) => boolean {
  const parsed = (typeof policy === 'string' ? JSON.parse(policy) : policy) as {
    redrivePermission?: string;
    sourceQueueArns?: unknown;
  };
  switch (parsed.redrivePermission) {
    case 'allowAll':
      return () => true;
    case 'denyAll':
      return () => false;
    case 'byQueue': {
      const sources = parsed.sourceQueueArns;
      if (!Array.isArray(sources) || sources.length < 1 || sources.length > 10) {
        throw new LocalCloudError(`${here}: RedriveAllowPolicy byQueue needs 1 to 10 sourceQueueArns`);
      }
      const allowed = new Set(sources.map(String));
      return (sourceArn) => allowed.has(sourceArn);
    }
    default:
      throw new LocalCloudError(
        `${here}: RedriveAllowPolicy.redrivePermission '${parsed.redrivePermission}' is not allowAll, denyAll or byQueue`,
      );
  }
}
