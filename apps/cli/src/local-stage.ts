import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository the CLI runs from: the local stage synthesises `apps/infra` and runs `tools/engines` there. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * `tools/engines` is the one place that knows the local engines' ports. The CLI runs it rather than import
 * `@ffc/tools`, whose package pulls in DynamoDB Local (tests keep using `@ffc/tools`).
 */
const ENGINES_SCRIPT = path.join(REPO_ROOT, 'tools', 'engines');

/** A local stage's files: its cloud assemblies, its log and its state. */
export function localStageDirectory(stage: string): string {
  return path.join(REPO_ROOT, '.engines', 'local-cloud', stage);
}

/** What `ffc local run` records about the stage it runs; `ffc local up/status/down` and the operator read it. */
export interface LocalStageState {
  readonly pid: number;
  readonly ready: boolean;
  readonly primaryRegion: string;
  readonly regions: readonly string[];
  readonly dynamodbEndpoint: string;
}

/** The file the state is kept in, removed when the stage stops. */
export function localStageStateFile(stage: string): string {
  return path.join(localStageDirectory(stage), 'state.json');
}

/** The state of the local stage, or `undefined` when none was started (or it is being written). */
export function readLocalStageState(stage: string): LocalStageState | undefined {
  try {
    return JSON.parse(fs.readFileSync(localStageStateFile(stage), 'utf8')) as LocalStageState;
  } catch {
    return undefined;
  }
}

/** Where the local engines answer; each setting comes from the environment first (as `tools/engines env` prints it). */
export interface LocalEngines {
  readonly redisUrl: string;
  readonly dynamodbEndpoint: string;
  readonly opensearchUrl: string;
  /** The local cloud's DynamoDB Local: one database per region. */
  readonly cloudDynamodbEndpoint: string;
  /** The local cloud's Redis servers, one per region, in region order. */
  readonly cloudRedisPorts: readonly number[];
}

export class LocalEnginesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalEnginesError';
  }
}

const SETTINGS = {
  redisUrl: 'FFC_REDIS_URL',
  dynamodbEndpoint: 'FFC_DYNAMODB_ENDPOINT',
  opensearchUrl: 'FFC_OPENSEARCH_URL',
  cloudDynamodbEndpoint: 'FFC_CLOUD_DYNAMODB_ENDPOINT',
  cloudRedisPorts: 'FFC_CLOUD_REDIS_PORTS',
} as const;

function runEngines(args: readonly string[], stdio: 'pipe' | 'inherit'): string {
  if (!fs.existsSync(ENGINES_SCRIPT)) {
    throw new LocalEnginesError(
      `${ENGINES_SCRIPT} is missing: run the CLI from the repository, or set ${Object.values(SETTINGS).join(', ')}`,
    );
  }
  return execFileSync(ENGINES_SCRIPT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', stdio] });
}

/**
 * The engines' settings: each from the environment, else from `tools/engines env`, which is run only when a
 * setting the caller reads is missing (so a deployed stage's commands, given FFC_OPENSEARCH_URL, never run it).
 */
export function localEngines(env: NodeJS.ProcessEnv = process.env): LocalEngines {
  let printed: Map<string, string> | undefined;
  const printedSetting = (name: string): string | undefined => {
    printed ??= new Map([...runEngines(['env'], 'pipe').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    return printed.get(name);
  };
  const setting = (name: string): string => {
    const value = env[name] || printedSetting(name);
    if (!value) throw new LocalEnginesError(`tools/engines env printed no ${name}: set it, or fix tools/engines`);
    return value;
  };
  return {
    get redisUrl() {
      return setting(SETTINGS.redisUrl);
    },
    get dynamodbEndpoint() {
      return setting(SETTINGS.dynamodbEndpoint);
    },
    get opensearchUrl() {
      return setting(SETTINGS.opensearchUrl);
    },
    get cloudDynamodbEndpoint() {
      return setting(SETTINGS.cloudDynamodbEndpoint);
    },
    get cloudRedisPorts() {
      return setting(SETTINGS.cloudRedisPorts).split(',').map(Number);
    },
  };
}

/**
 * Starts the named engines (installing them if missing; idempotent) and returns their settings. With
 * FFC_ENGINES=external the engines are someone else's, as in `@ffc/tools`' ensureEngines.
 */
export function startLocalEngines(names: readonly string[], env: NodeJS.ProcessEnv = process.env): LocalEngines {
  if (env.FFC_ENGINES !== 'external') runEngines(['up', ...names], 'inherit');
  return localEngines(env);
}
