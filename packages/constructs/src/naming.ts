import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Stage names appear in every resource name: short, lowercase, DNS-safe. */
export const STAGE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,19}$/;

export function assertStageName(stage: string): string {
  if (!STAGE_NAME_PATTERN.test(stage)) {
    throw new Error(
      `stage name '${stage}' must match ${STAGE_NAME_PATTERN.source} (it becomes part of every resource name)`,
    );
  }
  return stage;
}

/** `<stage>-<purpose>`: the one naming scheme of every named resource. */
export function resourceName(stage: string, purpose: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(purpose)) throw new Error(`resource purpose '${purpose}' must be lowercase kebab-case`);
  return `${assertStageName(stage)}-${purpose}`;
}

/** Who pays for and who runs a stage; applied as tags to every taggable resource below a scope. */
export interface StandardTags {
  /** Cost centre billed for the resources. */
  readonly costCentre: string;
  /** Team that owns and operates the resources. */
  readonly owner: string;
  /** The stage (environment) name. */
  readonly environment: string;
}

export function applyStandardTags(scope: IConstruct, tags: StandardTags): void {
  for (const [key, value] of Object.entries({
    'ffc:cost-centre': tags.costCentre,
    'ffc:owner': tags.owner,
    'ffc:environment': tags.environment,
  })) {
    if (!value) throw new Error(`tag ${key} needs a value`);
    Tags.of(scope).add(key, value);
  }
}
