import { readFileSync } from 'node:fs';
import { assertStageName, isRegionCode } from '@ffc/identifiers';
import { ChangePolicy, parseChangePolicy, parseChangePolicyJson } from '@ffc/rules';
import { Node } from 'constructs';

/** Everything that differs between stages; it comes from CDK context (cdk.json defaults, `-c key=value`). */
export interface StageConfig {
  readonly stage: string;
  readonly production: boolean;
  readonly costCentre: string;
  readonly owner: string;
  /** Target account. @default - the CLI's current account (CDK_DEFAULT_ACCOUNT) */
  readonly account?: string;
  /** Region of the stack that owns the global table; it must be one of `regions`. */
  readonly primaryRegion: string;
  readonly regions: readonly string[];
  /**
   * Production change windows, freezes and their time zone (context `changePolicy`: the policy object, its
   * JSON, or the path of a JSON file — the same file `ffc set --change-policy` reads).
   * @default - no windows, no freezes, UTC
   */
  readonly changePolicy: ChangePolicy;
}

function required(node: Node, key: string): string {
  const value = node.tryGetContext(key);
  if (value === undefined || value === '') {
    throw new Error(`missing context '${key}': pass -c ${key}=VALUE or set it in cdk.json`);
  }
  return String(value);
}

function parseRegions(value: unknown): string[] {
  const regions = Array.isArray(value)
    ? value.map(String)
    : String(value)
        .split(',')
        .map((r) => r.trim());
  const invalid = regions.filter((r) => !isRegionCode(r));
  if (regions.length === 0 || invalid.length > 0) {
    throw new Error(
      `context 'regions' must list AWS region codes such as eu-west-1, got ${JSON.stringify(value)}` +
        (invalid.length > 0 ? ` (not region codes: ${invalid.join(', ')})` : ''),
    );
  }
  if (new Set(regions).size !== regions.length) {
    throw new Error(`context 'regions' lists a region twice: ${regions.join(', ')}`);
  }
  return regions;
}

function readChangePolicy(value: unknown): ChangePolicy {
  if (value === undefined || value === '') return parseChangePolicy({}, "context 'changePolicy'");
  if (typeof value !== 'string') return parseChangePolicy(value, "context 'changePolicy'");
  if (value.trim().startsWith('{')) return parseChangePolicyJson(value, "context 'changePolicy'");
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new Error(
      `context 'changePolicy' names the file '${value}', which cannot be read (${(error as Error).message}): pass the policy as JSON or an existing file`,
    );
  }
  return parseChangePolicyJson(text, `context 'changePolicy' (file ${value})`);
}

export function stageConfig(node: Node, env: NodeJS.ProcessEnv = process.env): StageConfig {
  const production = String(node.tryGetContext('production') ?? 'false');
  if (production !== 'true' && production !== 'false') {
    throw new Error(`context 'production' must be true or false, got '${production}'`);
  }
  const regions = parseRegions(node.tryGetContext('regions') ?? []);
  const primaryRegion = String(node.tryGetContext('primaryRegion') ?? regions[0]);
  if (!regions.includes(primaryRegion)) {
    throw new Error(`primaryRegion '${primaryRegion}' is not one of the regions (${regions.join(', ')})`);
  }
  return {
    stage: assertStageName(required(node, 'stage')),
    production: production === 'true',
    costCentre: required(node, 'costCentre'),
    owner: required(node, 'owner'),
    account: node.tryGetContext('account') ?? env.CDK_DEFAULT_ACCOUNT,
    primaryRegion,
    regions,
    changePolicy: readChangePolicy(node.tryGetContext('changePolicy')),
  };
}
