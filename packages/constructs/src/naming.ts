import { assertStageName } from '@ffc/identifiers';
import { Aspects, CfnResource, IAspect, TagManager, Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** `<stage>-<purpose>`: the one naming scheme of every named resource (the stage grammar is @ffc/identifiers'). */
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
  const entries = Object.entries({
    'ffc:cost-centre': tags.costCentre,
    'ffc:owner': tags.owner,
    'ffc:environment': tags.environment,
  });
  for (const [key, value] of entries) {
    if (!value) throw new Error(`tag ${key} needs a value`);
    Tags.of(scope).add(key, value);
  }
  Aspects.of(scope).add(new TagRawResources(entries.map(([Key, Value]) => ({ Key, Value }))));
}

/** Types whose raw CfnResource form (CDK's own custom-resource providers) Tags.of does not reach. */
const RAW_TAGGABLE_TYPES = new Set(['AWS::Lambda::Function', 'AWS::IAM::Role']);

/**
 * Tags.of only tags L1 resources with a tag manager; CDK's custom-resource providers (for example the one
 * that restricts a VPC's default security group) are plain CfnResources and would stay untagged.
 */
class TagRawResources implements IAspect {
  constructor(private readonly tags: ReadonlyArray<{ Key: string; Value: string }>) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnResource && !TagManager.isTaggable(node) && RAW_TAGGABLE_TYPES.has(node.cfnResourceType)) {
      node.addPropertyOverride('Tags', this.tags);
    }
  }
}
