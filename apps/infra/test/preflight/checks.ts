import { HANDLER_CALLS_METADATA, SQS_EVENT_SOURCE_ACTIONS } from '@ffc/constructs';
import {
  DeployedTemplate,
  StageModel,
  Statement,
  actionMatches,
  conditionValues,
  iamMatches,
  render,
  resourcesOf,
  roleStatements,
  statementsOf,
} from './model';

/**
 * The deploy preflight: what `cdk deploy` into a real account, or a least-privilege review, would stop and
 * cfn-lint and cdk-nag do not look for. Each check takes synthesised stages and returns its findings, one
 * sentence each; an empty list passes.
 */

// ---------------------------------------------------------------------------------------------------------
// 1. Names

/** Resources whose names are unique per account across all regions (IAM), or across all of AWS (S3). */
const ACCOUNT_GLOBAL_NAMES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::S3::Bucket': 'BucketName',
};

/** Resources whose names are unique per account and region. */
const REGIONAL_NAMES: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::ResourcePolicy': 'PolicyName',
  'AWS::Events::EventBus': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::OpenSearchService::Domain': 'DomainName',
  'AWS::ElastiCache::ReplicationGroup': 'ReplicationGroupId',
  'AWS::ElastiCache::SubnetGroup': 'CacheSubnetGroupName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
};

/**
 * Explicit names that two deployments would both claim: IAM names across every region and stage of an
 * account, regional names across the stages sharing an account and region. A stack of the same name in
 * two stages is one deployment (an account-level stack every stage contains), so it claims its names once.
 */
export function nameClashes(stages: readonly StageModel[]): string[] {
  const claims = new Map<string, Set<string>>();
  for (const stage of stages) {
    for (const t of stage.templates) {
      for (const [id, resource] of Object.entries(t.template.Resources)) {
        const globalKey = ACCOUNT_GLOBAL_NAMES[resource.Type];
        const regionalKey = REGIONAL_NAMES[resource.Type];
        const value = resource.Properties?.[globalKey ?? regionalKey];
        if (value === undefined) continue;
        const scope = globalKey
          ? resource.Type === 'AWS::S3::Bucket'
            ? 'aws'
            : t.account
          : `${t.account}/${t.region}`;
        const claim = `${resource.Type} '${render(t, value)}' in ${scope}`;
        const owners = claims.get(claim) ?? new Set<string>();
        owners.add(`${t.account}/${t.region}/${t.stackName}/${id}`);
        claims.set(claim, owners);
      }
    }
  }
  return [...claims]
    .filter(([, owners]) => owners.size > 1)
    .map(([claim, owners]) => `${claim} is claimed by ${owners.size} resources: ${[...owners].sort().join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------
// 2. KMS for encrypted resources

type Access = 'write' | 'read';
interface Encrypted {
  readonly t: DeployedTemplate;
  readonly id: string;
  readonly arn: string;
  readonly keyArn: string;
  /** The service that encrypts it and the encryption-context key it binds (SNS, SQS, Secrets Manager guides). */
  readonly via: 'sns' | 'sqs' | 'secretsmanager' | 'logs';
  readonly contextKey: string;
}

/** What each service requires of a principal on the key ("kms:GenerateDataKey*" satisfies GenerateDataKey). */
const KMS_NEEDS: Record<Access, string[]> = { write: ['kms:GenerateDataKey', 'kms:Decrypt'], read: ['kms:Decrypt'] };
/** CloudWatch Logs' documented key-policy actions for encrypting a log group. */
const LOGS_KMS_NEEDS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/** Identity actions on an encrypted resource that need the key, and how. */
const ACCESS_BY_ACTION: Record<string, Access> = {
  'sns:Publish': 'write',
  'sqs:SendMessage': 'write',
  'sqs:ReceiveMessage': 'read',
  'secretsmanager:GetSecretValue': 'read',
};

function encryptedResources(stage: StageModel): Encrypted[] {
  const found: Encrypted[] = [];
  // KMS resolves a key named by its alias (`alias/<name>`) to the alias's target key, in the same region.
  const aliases = resourcesOf(stage, 'AWS::KMS::Alias');
  const keyArnOf = (t: (typeof aliases)[number]['t'], key: unknown): string => {
    if (typeof key !== 'string' || !key.startsWith('alias/')) return render(t, key);
    const alias = aliases.find((a) => a.t.region === t.region && a.resource.Properties?.AliasName === key);
    if (!alias) throw new Error(`${t.stackName}: no AWS::KMS::Alias ${key} in ${t.region}`);
    return render(alias.t, alias.resource.Properties?.TargetKeyId);
  };
  const add = (type: string, keyProperty: string, via: Encrypted['via'], contextKey: string) => {
    for (const { t, id, resource } of resourcesOf(stage, type)) {
      const key = resource.Properties?.[keyProperty];
      if (key === undefined) continue;
      const arn = render(t, { 'Fn::GetAtt': [id, 'Arn'] });
      found.push({ t, id, arn, keyArn: keyArnOf(t, key), via, contextKey });
    }
  };
  add('AWS::SNS::Topic', 'KmsMasterKeyId', 'sns', 'aws:sns:topicArn');
  add('AWS::SQS::Queue', 'KmsMasterKeyId', 'sqs', 'aws:sqs:arn');
  add('AWS::SecretsManager::Secret', 'KmsKeyId', 'secretsmanager', 'SecretARN');
  add('AWS::Logs::LogGroup', 'KmsKeyId', 'logs', 'aws:logs:arn');
  return found;
}

/** Whether a KMS statement's conditions, where it has them, admit use of the key for `target` through its service. */
function conditionsAdmit(statement: Statement, target: Encrypted): boolean {
  const via = conditionValues(statement, 'kms:ViaService');
  if (via && !via.includes(`${target.via}.${target.t.region}.amazonaws.com`)) return false;
  const context = Object.entries(statement.conditions).flatMap(([, keys]) =>
    Object.entries(keys).filter(([key]) => key.toLowerCase().startsWith('kms:encryptioncontext:')),
  );
  // The log-group context is the group's ARN without the `:*` that GetAtt adds.
  const arn = target.via === 'logs' ? target.arn.replace(/:\*$/, '') : target.arn;
  return context.every(
    ([key, values]) =>
      key.toLowerCase() === `kms:encryptioncontext:${target.contextKey}`.toLowerCase() &&
      values.some((pattern) => iamMatches(pattern, arn)),
  );
}

function allows(statements: Statement[], action: string, resource: string, target: Encrypted): boolean {
  return statements.some(
    (s) =>
      s.effect === 'Allow' &&
      s.actions.some((a) => actionMatches(a, action)) &&
      s.resources.some((r) => iamMatches(r, resource)) &&
      conditionsAdmit(s, target),
  );
}

/** Key policies by key ARN, and queue/topic policies by the Ref of the queue or topic they name. */
function policyIndexes(stage: StageModel) {
  const keys = new Map<string, Statement[]>();
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::KMS::Key')) {
    keys.set(render(t, { 'Fn::GetAtt': [id, 'Arn'] }), statementsOf(t, resource.Properties!.KeyPolicy));
  }
  const resources = new Map<string, Statement[]>();
  for (const [type, listKey] of [
    ['AWS::SQS::QueuePolicy', 'Queues'],
    ['AWS::SNS::TopicPolicy', 'Topics'],
  ]) {
    for (const { t, resource } of resourcesOf(stage, type)) {
      const statements = statementsOf(t, resource.Properties!.PolicyDocument);
      for (const ref of [resource.Properties![listKey]].flat()) {
        const key = render(t, ref);
        resources.set(key, [...(resources.get(key) ?? []), ...statements]);
      }
    }
  }
  return { keys, resources };
}

/** AWS services that deliver to an encrypted queue or topic on the account's behalf, found from the wiring. */
function serviceDeliveries(
  stage: StageModel,
  targets: Encrypted[],
): Array<{ service: string; target: Encrypted; by: string }> {
  const byArn = new Map(targets.map((target) => [target.arn, target]));
  const deliveries: Array<{ service: string; target: Encrypted; by: string }> = [];
  const deliver = (service: string, arn: string, by: string) => {
    const target = byArn.get(arn);
    if (target) deliveries.push({ service, target, by });
  };
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::SNS::Subscription')) {
    if (resource.Properties!.Protocol === 'sqs') {
      deliver('sns.amazonaws.com', render(t, resource.Properties!.Endpoint), `${t.stackName}/${id}`);
    }
  }
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::Events::Rule')) {
    for (const target of resource.Properties!.Targets ?? []) {
      for (const arn of [target.Arn, target.DeadLetterConfig?.Arn].filter(Boolean)) {
        deliver('events.amazonaws.com', render(t, arn), `${t.stackName}/${id}`);
      }
    }
  }
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::CloudWatch::Alarm')) {
    for (const action of resource.Properties!.AlarmActions ?? []) {
      deliver('cloudwatch.amazonaws.com', render(t, action), `${t.stackName}/${id}`);
    }
  }
  return deliveries;
}

/**
 * Every principal that publishes to, sends to or reads an encrypted topic, queue, secret or log group holds
 * the KMS actions that service requires of it — in its IAM policy (roles) or the key policy (services), with
 * any `kms:ViaService` / encryption-context condition admitting that resource — and a service delivering on
 * the account's behalf is also admitted by the queue's or topic's own policy.
 */
export function kmsGaps(stage: StageModel): string[] {
  const findings: string[] = [];
  const targets = encryptedResources(stage);
  const { keys, resources } = policyIndexes(stage);
  const missing = (statements: Statement[], needs: string[], target: Encrypted) =>
    needs.filter(
      (action) => !allows(statements, action, target.keyArn, target) && !allows(statements, action, '*', target),
    );

  for (const { t, id, resource } of resourcesOf(stage, 'AWS::IAM::Role')) {
    const statements = roleStatements(t, id).filter((s) => s.effect === 'Allow');
    const kms = statements.filter((s) => s.actions.some((a) => a.toLowerCase().startsWith('kms:')));
    for (const [action, access] of Object.entries(ACCESS_BY_ACTION)) {
      const patterns = statements
        .filter((s) => s.actions.some((a) => actionMatches(a, action)))
        .flatMap((s) => s.resources);
      if (patterns.length === 0) continue;
      for (const target of targets) {
        if (target.t.region !== t.region || !patterns.some((r) => iamMatches(r, target.arn))) continue;
        const lacks = missing(kms, KMS_NEEDS[access], target);
        if (lacks.length > 0) {
          findings.push(
            `${t.stackName}/${id} (${resource.Type}) may ${action} on ${target.arn} but lacks ${lacks.join(', ')} on its key ${target.keyArn}`,
          );
        }
      }
    }
  }
  for (const { service, target, by } of serviceDeliveries(stage, targets)) {
    const ofService = (keys.get(target.keyArn) ?? []).filter((s) => s.services.includes(service));
    const lacks = missing(ofService, KMS_NEEDS.write, target);
    if (lacks.length > 0) {
      findings.push(
        `${service} delivers to ${target.arn} (${by}) but the key policy of ${target.keyArn} lacks ${lacks.join(', ')} for it`,
      );
    }
    const action = target.via === 'sqs' ? 'sqs:SendMessage' : 'sns:Publish';
    const admitted = (resources.get(render(target.t, { Ref: target.id })) ?? []).some(
      (s) =>
        s.effect === 'Allow' &&
        s.services.includes(service) &&
        s.actions.some((a) => actionMatches(a, action)) &&
        s.resources.some((r) => iamMatches(r, target.arn) || iamMatches(r, render(target.t, { Ref: target.id }))),
    );
    if (!admitted) {
      findings.push(`${service} delivers to ${target.arn} (${by}) but its resource policy does not allow ${action}`);
    }
  }
  for (const target of targets.filter((e) => e.via === 'logs')) {
    const service = `logs.${target.t.region}.amazonaws.com`;
    const ofService = (keys.get(target.keyArn) ?? []).filter((s) => s.services.includes(service));
    const lacks = missing(ofService, LOGS_KMS_NEEDS, target);
    if (lacks.length > 0) {
      findings.push(
        `log group ${target.arn} is encrypted with ${target.keyArn} but its key policy lacks ${lacks.join(', ')} for ${service}`,
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// 3. Confused deputies

const SOURCE_KEYS = ['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOrgID'];
/** A key policy may bind a service to resources by encryption context instead (EventBridge passes no source keys to KMS). */
const KEY_POLICY_BINDINGS = ['kms:EncryptionContext:'];

/**
 * Trusts exempt from the source-condition rule, with the reason. Lambda assumes an execution role only for a
 * function that names it, and only a principal of the role's own account can pass it to a function
 * (iam:PassRole), so no other account can make Lambda act with it.
 */
export const TRUST_EXEMPTIONS: Record<string, string> = {
  'lambda.amazonaws.com': 'only this account can pass the role to a function (iam:PassRole)',
};

/**
 * Every grant to an AWS service principal — queue, topic, key, Logs and secret policies, role trusts, Lambda
 * permissions — carries `aws:SourceArn` / `aws:SourceAccount`, so the service cannot be made to act for
 * another account's resource.
 */
export function confusedDeputies(stage: StageModel): string[] {
  const findings: string[] = [];
  const check = (where: string, statements: Statement[], extraKeys: string[] = []) => {
    for (const s of statements) {
      if (s.effect !== 'Allow') continue;
      for (const service of s.services) {
        const keys = Object.values(s.conditions).flatMap((k) => Object.keys(k));
        const bound = keys.some((key) =>
          [...SOURCE_KEYS, ...extraKeys].some((source) => key.toLowerCase().startsWith(source.toLowerCase())),
        );
        if (!bound) {
          findings.push(
            `${where} grants ${service} ${s.actions.join(', ')} without aws:SourceArn or aws:SourceAccount`,
          );
        }
      }
    }
  };
  const documents: Array<[string, string, string[]?]> = [
    ['AWS::SQS::QueuePolicy', 'PolicyDocument'],
    ['AWS::SNS::TopicPolicy', 'PolicyDocument'],
    ['AWS::Logs::ResourcePolicy', 'PolicyDocument'],
    ['AWS::SecretsManager::ResourcePolicy', 'ResourcePolicy'],
    ['AWS::KMS::Key', 'KeyPolicy', KEY_POLICY_BINDINGS],
  ];
  for (const [type, property, extra] of documents) {
    for (const { t, id, resource } of resourcesOf(stage, type)) {
      check(`${t.stackName}/${id}`, statementsOf(t, resource.Properties![property]), extra);
    }
  }
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::IAM::Role')) {
    const trust = statementsOf(t, resource.Properties!.AssumeRolePolicyDocument).map((s) => ({
      ...s,
      services: s.services.filter((service) => !(service in TRUST_EXEMPTIONS)),
    }));
    check(`${t.stackName}/${id} trust`, trust);
  }
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::Lambda::Permission')) {
    const p = resource.Properties!;
    if (
      render(t, p.Principal).endsWith('.amazonaws.com') &&
      p.SourceArn === undefined &&
      p.SourceAccount === undefined
    ) {
      findings.push(`${t.stackName}/${id} lets ${render(t, p.Principal)} invoke without SourceArn or SourceAccount`);
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// 4. Least privilege against the handlers' declared calls

/** What Lambda itself does with every function's role. */
const LAMBDA_RUNTIME_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];
const STREAM_EVENT_SOURCE_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

/** The KMS actions that the role's own data-plane actions on encrypted resources require. */
function kmsActionsRequired(actions: Set<string>): string[] {
  const needs = new Set<string>();
  for (const [action, access] of Object.entries(ACCESS_BY_ACTION)) {
    if (actions.has(action)) KMS_NEEDS[access].forEach((a) => needs.add(a));
  }
  return [...needs];
}

/**
 * No function's role holds an action that neither its handler calls (the `ffc:handlerCalls` the construct
 * records in the template) nor Lambda uses for it (logs, traces, network interfaces, event source polling,
 * on-failure destinations); KMS actions only as far as those calls need them. A function with an explicit
 * name that declares no calls is a finding too.
 */
export function unusedActions(stage: StageModel): string[] {
  const findings: string[] = [];
  for (const { t, id, resource } of resourcesOf(stage, 'AWS::Lambda::Function')) {
    const p = resource.Properties!;
    const declared = resource.Metadata?.[HANDLER_CALLS_METADATA] as string[] | undefined;
    if (!declared) {
      if (p.FunctionName !== undefined) {
        findings.push(`${t.stackName}/${id} declares no handler calls (${HANDLER_CALLS_METADATA})`);
      }
      continue;
    }
    const used = new Set<string>([...declared, ...LAMBDA_RUNTIME_ACTIONS]);
    if (p.TracingConfig?.Mode === 'Active') TRACING_ACTIONS.forEach((a) => used.add(a));
    if (p.VpcConfig) VPC_ACTIONS.forEach((a) => used.add(a));
    const functionName = render(t, { Ref: id });
    // A mapping names its function by name or ARN (a nested stack's mapping gets it as a parameter).
    const names = [functionName, render(t, { 'Fn::GetAtt': [id, 'Arn'] })];
    for (const mapping of resourcesOf(stage, 'AWS::Lambda::EventSourceMapping')) {
      const m = mapping.resource.Properties!;
      if (!names.includes(render(mapping.t, m.FunctionName))) continue;
      const source = render(mapping.t, m.EventSourceArn);
      (source.includes(':sqs:') ? SQS_EVENT_SOURCE_ACTIONS : STREAM_EVENT_SOURCE_ACTIONS).forEach((a) => used.add(a));
      if (m.DestinationConfig?.OnFailure) used.add('sqs:SendMessage');
    }
    kmsActionsRequired(used).forEach((a) => used.add(a));
    const roleId = (p.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const held = roleStatements(t, roleId)
      .filter((s) => s.effect === 'Allow')
      .flatMap((s) => s.actions);
    const extra = [...new Set(held)].filter(
      (action) => ![...used].some((u) => u.toLowerCase() === action.toLowerCase()),
    );
    if (extra.length > 0) {
      findings.push(
        `${functionName}: its role holds ${extra.join(', ')}, which neither its handler calls nor Lambda uses for it`,
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// 5. The CloudWatch Logs resource-policy quota

/** CloudWatch Logs resource policies per account and region (a hard quota). */
export const LOGS_RESOURCE_POLICY_QUOTA = 10;
/**
 * The policy CloudWatch Logs itself writes (once per account and region) when a service delivers vended logs,
 * as Step Functions does for a state machine's log group.
 */
export const VENDED_LOGS_POLICY = 'AWSLogDeliveryWrite20150319';

/**
 * Counts every Logs resource policy the stages put into each account and region — their own and the one
 * vended-log delivery creates — against the quota of 10. Stages in one account must share policies: a
 * policy per stage means an account with more test stages than the quota cannot deploy another, so a
 * policy that two stages would each add is a finding even while the count still fits.
 */
export function logsPolicyQuota(stages: readonly StageModel[]): string[] {
  const findings: string[] = [];
  const policies = new Map<string, Map<string, Set<string>>>();
  const count = (t: DeployedTemplate, name: string, stage: string) => {
    const where = `${t.account}/${t.region}`;
    const names = policies.get(where) ?? new Map<string, Set<string>>();
    names.set(name, (names.get(name) ?? new Set()).add(stage));
    policies.set(where, names);
  };
  for (const stage of stages) {
    for (const { t, resource } of resourcesOf(stage, 'AWS::Logs::ResourcePolicy')) {
      count(t, render(t, resource.Properties!.PolicyName), stage.stage);
    }
    for (const { t, resource } of resourcesOf(stage, 'AWS::StepFunctions::StateMachine')) {
      if (resource.Properties!.LoggingConfiguration?.Destinations?.length) count(t, VENDED_LOGS_POLICY, stage.stage);
    }
  }
  for (const [where, names] of policies) {
    const stagesHere = new Set([...names.values()].flatMap((s) => [...s]));
    if (names.size > LOGS_RESOURCE_POLICY_QUOTA) {
      findings.push(
        `${where} needs ${names.size} CloudWatch Logs resource policies; an account holds ${LOGS_RESOURCE_POLICY_QUOTA} per region`,
      );
    }
    if (stagesHere.size < 2) continue;
    for (const [name, owners] of names) {
      if (owners.size < stagesHere.size) {
        findings.push(
          `${where}: Logs resource policy '${name}' belongs to stage ${[...owners].join(', ')} alone; one per stage exhausts the ${LOGS_RESOURCE_POLICY_QUOTA} an account holds per region`,
        );
      }
    }
  }
  return findings;
}
