import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalCloudError } from '../errors';

/** One resource of a CloudFormation template, as synthesised. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface CfnTemplate {
  readonly Resources: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/** A stack of the assembly, nested stacks included: its template, where it deploys, and its parent. */
export interface AssemblyStack {
  /** Artifact id for a top-level stack; `<parent>/<logical id>` for a nested one. */
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly template: CfnTemplate;
  readonly parent?: { readonly stack: AssemblyStack; readonly logicalId: string };
}

interface Manifest {
  readonly artifacts?: Record<
    string,
    { type: string; environment?: string; properties?: { templateFile?: string }; dependencies?: string[] }
  >;
}

const ENVIRONMENT = /^aws:\/\/([^/]+)\/([^/]+)$/;

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new LocalCloudError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/**
 * Reads a cloud assembly (`cdk.out`) the way the CDK CLI does: `manifest.json` lists the stack artifacts and
 * their environments; nested stacks are template assets named by their parent's `aws:asset:path` metadata.
 */
export function readCloudAssembly(directory: string): AssemblyStack[] {
  const manifest = readJson<Manifest>(path.join(directory, 'manifest.json'), 'cloud assembly manifest');
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const environment = ENVIRONMENT.exec(artifact.environment ?? '');
    if (!environment || environment[2] === 'unknown-region') {
      throw new LocalCloudError(
        `stack ${id} has no explicit region (${artifact.environment}): synthesise with env.region set`,
      );
    }
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile) throw new LocalCloudError(`stack ${id} names no template file`);
    const stack: AssemblyStack = {
      id,
      account: environment[1] === 'unknown-account' ? LOCAL_ACCOUNT : environment[1],
      region: environment[2],
      template: readJson<CfnTemplate>(path.join(directory, templateFile), `template of ${id}`),
    };
    stacks.push(stack, ...nestedStacks(directory, stack));
  }
  if (stacks.length === 0) throw new LocalCloudError(`the cloud assembly in ${directory} has no stacks`);
  return stacks;
}

/** The account the local cloud reports for stacks synthesised without one. */
export const LOCAL_ACCOUNT = '000000000000';

function nestedStacks(directory: string, parent: AssemblyStack): AssemblyStack[] {
  const nested: AssemblyStack[] = [];
  for (const [logicalId, resource] of Object.entries(parent.template.Resources)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const asset = resource.Metadata?.['aws:asset:path'];
    if (typeof asset !== 'string') {
      throw new LocalCloudError(
        `nested stack ${parent.id}/${logicalId} has no aws:asset:path metadata: only CDK nested stacks run locally`,
      );
    }
    const stack: AssemblyStack = {
      id: `${parent.id}/${logicalId}`,
      account: parent.account,
      region: parent.region,
      template: readJson<CfnTemplate>(path.join(directory, asset), `nested template of ${parent.id}/${logicalId}`),
      parent: { stack: parent, logicalId },
    };
    nested.push(stack, ...nestedStacks(directory, stack));
  }
  return nested;
}

/** Every resource of the given stacks with its stack. */
export function* resourcesOf(stacks: readonly AssemblyStack[], type?: string) {
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
      if (type === undefined || resource.Type === type) yield { stack, logicalId, resource };
    }
  }
}
