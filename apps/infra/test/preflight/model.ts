import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

/** A CloudFormation resource as synthesised. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

export interface CfnTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Resources: Record<string, CfnResource>;
}

/**
 * One template of a stage as CloudFormation deploys it: top-level stacks and nested stacks alike, with the
 * values its parameters receive from the parent already rendered.
 */
export interface DeployedTemplate {
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  /** The stack name, `<parent>/<logical id>` for a nested stack. */
  readonly stackName: string;
  readonly template: CfnTemplate;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface StageModel {
  readonly stage: string;
  readonly templates: readonly DeployedTemplate[];
}

/** The files of a stack's asset manifest by asset hash: a nested template's URL ends in `<hash>.json`. */
function assetFiles(assembly: CloudAssembly, artifactId: string): Map<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  return new Map(Object.entries(manifest.files).map(([hash, file]) => [hash, file.source.path]));
}

/**
 * Reads a synthesised stage: every stack artifact and the nested templates its `AWS::CloudFormation::Stack`
 * resources deploy (found through the asset manifest). `account` stands in for an environment-agnostic account.
 */
export function loadStage(stage: string, assembly: CloudAssembly, account: string): StageModel {
  const templates: DeployedTemplate[] = [];
  for (const artifact of assembly.stacks) {
    const region = artifact.environment.region;
    const accountId = /^\d{12}$/.test(artifact.environment.account) ? artifact.environment.account : account;
    const assets = assetFiles(assembly, artifact.id);
    const visit = (stackName: string, template: CfnTemplate, parameters: Record<string, string>) => {
      const deployed = { stage, account: accountId, region, stackName, template, parameters };
      templates.push(deployed);
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
        const hash = /([0-9a-f]{64})\.json$/.exec(render(deployed, resource.Properties?.TemplateURL))?.[1];
        const file = hash && assets.get(hash);
        if (!file) throw new Error(`${stackName}/${id}: nested template not found in the asset manifest`);
        const nested = JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8')) as CfnTemplate;
        const values = Object.fromEntries(
          Object.entries((resource.Properties?.Parameters ?? {}) as Record<string, unknown>).map(([name, value]) => [
            name,
            render(deployed, value),
          ]),
        );
        visit(`${stackName}/${id}`, nested, values);
      }
    };
    visit(artifact.stackName, artifact.template as CfnTemplate, {});
  }
  return { stage, templates };
}

/** How a reference to a resource renders: its ARN (or URL) where the name is known, a unique token otherwise. */
function physical(t: DeployedTemplate, id: string, attribute: string): string {
  const resource = t.template.Resources[id];
  if (!resource) throw new Error(`${t.stackName}: reference to unknown resource ${id}`);
  const p = resource.Properties ?? {};
  const at = (service: string, rest: string) => `arn:aws:${service}:${t.region}:${t.account}:${rest}`;
  const name = (key: string) => (p[key] === undefined ? `${t.stackName}.${id}` : render(t, p[key]));
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return attribute === 'Ref'
        ? `https://sqs.${t.region}.amazonaws.com/${t.account}/${name('QueueName')}`
        : at('sqs', name('QueueName'));
    case 'AWS::SNS::Topic':
      return at('sns', name('TopicName'));
    case 'AWS::KMS::Key':
      return at('kms', `key/${t.stackName}.${id}`);
    case 'AWS::IAM::Role':
      return attribute === 'Ref' ? name('RoleName') : `arn:aws:iam::${t.account}:role/${name('RoleName')}`;
    case 'AWS::Logs::LogGroup':
      return attribute === 'Ref' ? name('LogGroupName') : at('logs', `log-group:${name('LogGroupName')}:*`);
    case 'AWS::Lambda::Function':
      return attribute === 'Ref' ? name('FunctionName') : at('lambda', `function:${name('FunctionName')}`);
    case 'AWS::SecretsManager::Secret':
      return at('secretsmanager', `secret:${name('Name')}-AbCdEf`);
    case 'AWS::Events::Rule':
      return at('events', `rule/${name('Name')}`);
    case 'AWS::StepFunctions::StateMachine':
      return at('states', `stateMachine:${name('StateMachineName')}`);
    default:
      return `${attribute}:${t.stackName}.${id}`;
  }
}

const PSEUDO: Record<string, (t: DeployedTemplate) => string> = {
  'AWS::Partition': () => 'aws',
  'AWS::AccountId': (t) => t.account,
  'AWS::Region': (t) => t.region,
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (t) => t.stackName,
};

/** Renders an intrinsic-function expression to the string CloudFormation would produce (names, ARNs). */
export function render(t: DeployedTemplate, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const expr = value as Record<string, any>;
  if ('Ref' in expr) {
    const ref = expr.Ref as string;
    if (PSEUDO[ref]) return PSEUDO[ref](t);
    if (t.template.Parameters?.[ref] !== undefined) return t.parameters[ref] ?? `param:${t.stackName}.${ref}`;
    return physical(t, ref, 'Ref');
  }
  if ('Fn::GetAtt' in expr) {
    const [id, attribute] = expr['Fn::GetAtt'] as [string, string];
    return attribute === 'Arn' ? physical(t, id, 'Arn') : `${attribute}:${t.stackName}.${id}`;
  }
  if ('Fn::Join' in expr) {
    const [separator, parts] = expr['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => render(t, part)).join(separator);
  }
  if ('Fn::Sub' in expr) {
    const [text, vars = {}] = [expr['Fn::Sub']].flat() as [string, Record<string, unknown>?];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
      name in vars
        ? render(t, vars[name])
        : render(t, name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name }),
    );
  }
  return JSON.stringify(value);
}

/** IAM's string matching: `*` any run of characters, `?` one character, case-sensitive. */
export function iamMatches(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  let regex = PATTERNS.get(pattern);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`);
    PATTERNS.set(pattern, regex);
  }
  return regex.test(value);
}
const PATTERNS = new Map<string, RegExp>();

/** Actions match case-insensitively (IAM treats `SNS:Publish` and `sns:publish` alike). */
export function actionMatches(pattern: string, action: string): boolean {
  return iamMatches(pattern.toLowerCase(), action.toLowerCase());
}

/** A policy statement with every value rendered to strings. */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources: string[];
  /** Service principals (`sns.amazonaws.com`), AWS principals (ARNs, `*`). */
  readonly services: string[];
  readonly awsPrincipals: string[];
  /** operator → condition key → values. */
  readonly conditions: Record<string, Record<string, string[]>>;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : [value].flat());

export function statementsOf(t: DeployedTemplate, document: unknown): Statement[] {
  const doc = (typeof document === 'string' ? JSON.parse(document) : document) as { Statement?: unknown };
  if (doc && typeof doc === 'object' && 'Fn::Join' in (doc as object)) return statementsOf(t, render(t, doc));
  return list(doc?.Statement).map((raw) => {
    const s = raw as Record<string, any>;
    const principal = s.Principal === '*' ? { AWS: '*' } : ((s.Principal ?? {}) as Record<string, unknown>);
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, keys] of Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      conditions[operator] = Object.fromEntries(
        Object.entries(keys).map(([key, values]) => [key, list(values).map((v) => render(t, v))]),
      );
    }
    return {
      effect: s.Effect,
      actions: list(s.Action).map((a) => render(t, a)),
      resources: list(s.Resource).map((r) => render(t, r)),
      services: list(principal.Service).map((p) => render(t, p)),
      awsPrincipals: list(principal.AWS).map((p) => render(t, p)),
      conditions,
    };
  });
}

/** All values a statement's conditions give `key`, whatever the operator. */
export function conditionValues(statement: Statement, key: string): string[] | undefined {
  const found = Object.values(statement.conditions).flatMap((keys) =>
    Object.entries(keys)
      .filter(([k]) => k.toLowerCase() === key.toLowerCase())
      .flatMap(([, values]) => values),
  );
  return found.length > 0 ? found : undefined;
}

/** Every resource of one type in a stage, with the template it lives in. */
export function resourcesOf(
  stage: StageModel,
  type: string,
): Array<{ t: DeployedTemplate; id: string; resource: CfnResource }> {
  return stage.templates.flatMap((t) =>
    Object.entries(t.template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id, resource]) => ({ t, id, resource })),
  );
}

/** The identity-policy statements attached to a role (inline and AWS::IAM::Policy resources naming it). */
export function roleStatements(t: DeployedTemplate, roleId: string): Statement[] {
  const role = t.template.Resources[roleId];
  const inline = list(role?.Properties?.Policies).flatMap((p) => statementsOf(t, (p as any).PolicyDocument));
  const attached = Object.values(t.template.Resources)
    .filter(
      (r) => r.Type === 'AWS::IAM::Policy' && list(r.Properties?.Roles).some((ref) => (ref as any).Ref === roleId),
    )
    .flatMap((r) => statementsOf(t, r.Properties!.PolicyDocument));
  return [...inline, ...attached];
}
