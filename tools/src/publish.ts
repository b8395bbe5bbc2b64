import { execFileSync, spawnSync } from 'node:child_process';

/** semver.org's grammar of a version (MAJOR.MINOR.PATCH, optional pre-release and build). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Why a publish was refused or failed; the message says what to do. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-semver' | 'already-published' | 'registry-failed',
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

export interface PublishOptions {
  /** Extra npm arguments, e.g. `--registry URL`; otherwise npm's configuration (.npmrc) decides. */
  readonly npmArgs?: readonly string[];
  /** The environment npm runs in (e.g. NPM_CONFIG_USERCONFIG). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where a refusal tells the user to bump the version. */
  readonly versionSource?: string;
}

export interface Published {
  readonly name: string;
  readonly version: string;
  readonly registry: string;
}

function npm(args: readonly string[], options: PublishOptions) {
  return spawnSync('npm', [...args, ...(options.npmArgs ?? [])], { encoding: 'utf8', env: options.env ?? process.env });
}

/** The registry npm will use for `name`: `--registry`, else the scope's registry, else the default one. */
function registryFor(name: string, options: PublishOptions): string {
  const args = options.npmArgs ?? [];
  const flag = args.findIndex((arg) => arg === '--registry');
  if (flag >= 0 && args[flag + 1]) return args[flag + 1];
  const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
  // `npm config` refuses to run inside a workspace unless told not to treat it as one.
  const get = (key: string) => npm(['config', 'get', key, '--workspaces=false'], { env: options.env }).stdout.trim();
  const scoped = scope ? get(`${scope}:registry`) : 'undefined';
  return scoped !== 'undefined' && scoped !== '' ? scoped : get('registry');
}

/**
 * Publishes a packed tarball (`npm pack`) to the configured registry, once: a version the registry
 * already holds is refused before the upload (and, in a race, by the registry itself).
 */
export function publishTarball(tarball: string, options: PublishOptions = {}): Published {
  const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const { name, version } = manifest as { name: string; version: string };
  const source = options.versionSource ?? `the version of ${name}`;
  if (!SEMVER.test(version)) {
    throw new PublishError(
      `${name}@${version} is not a semver version: set ${source} to MAJOR.MINOR.PATCH`,
      'not-semver',
    );
  }
  const registry = registryFor(name, options);
  const alreadyPublished = () =>
    new PublishError(
      `${name}@${version} is already published to ${registry}; a published version never changes: bump ${source} and publish again`,
      'already-published',
    );
  const view = npm(['view', `${name}@${version}`, 'version', '--json'], options);
  if (view.status === 0 && view.stdout.trim() !== '') throw alreadyPublished();
  if (view.status !== 0 && !/E404|404 Not Found/.test(view.stderr)) {
    throw new PublishError(`cannot ask ${registry} about ${name}: ${view.stderr.trim()}`, 'registry-failed');
  }
  const publish = npm(['publish', tarball], options);
  if (publish.status !== 0) {
    if (/cannot publish over|already present|E409|EPUBLISHCONFLICT/i.test(publish.stderr)) throw alreadyPublished();
    throw new PublishError(`npm publish to ${registry} failed: ${publish.stderr.trim()}`, 'registry-failed');
  }
  return { name, version, registry };
}

/** `node tools/lib/publish.js TARBALL [NPM_ARGS...]` (the construct library's `release` task). */
function main(argv: string[]): number {
  const [tarball, ...npmArgs] = argv;
  if (!tarball) {
    process.stderr.write('Usage: node tools/lib/publish.js TARBALL [--registry URL]\n');
    return 2;
  }
  try {
    const published = publishTarball(tarball, { npmArgs, versionSource: process.env.FFC_VERSION_SOURCE });
    process.stdout.write(`published ${published.name}@${published.version} to ${published.registry}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
