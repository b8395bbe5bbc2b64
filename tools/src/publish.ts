import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

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
  /**
   * What a version the registry already holds means. `refuse` (the library itself): bump the version.
   * `skip-identical` (a dependency released with it): the same bytes are already there, so a release that
   * failed after publishing it can be run again; different bytes at that version are still refused.
   * @default 'refuse'
   */
  readonly whenPublished?: 'refuse' | 'skip-identical';
}

export interface Published {
  readonly name: string;
  readonly version: string;
  readonly registry: string;
  /** True when the registry already held these exact bytes (`whenPublished: 'skip-identical'`). */
  readonly skipped: boolean;
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
  // npm's `dist.shasum` is the SHA-1 of the tarball; npm pack writes fixed timestamps, so same content, same sum.
  const view = npm(['view', `${name}@${version}`, 'dist.shasum', '--json'], options);
  if (view.status === 0 && view.stdout.trim() !== '') {
    const shasum = createHash('sha1').update(readFileSync(tarball)).digest('hex');
    if (options.whenPublished === 'skip-identical' && JSON.parse(view.stdout) === shasum) {
      return { name, version, registry, skipped: true };
    }
    throw alreadyPublished();
  }
  if (view.status !== 0 && !/E404|404 Not Found/.test(view.stderr)) {
    throw new PublishError(`cannot ask ${registry} about ${name}: ${view.stderr.trim()}`, 'registry-failed');
  }
  const publish = npm(['publish', tarball], options);
  if (publish.status !== 0) {
    if (/cannot publish over|already present|E409|EPUBLISHCONFLICT/i.test(publish.stderr)) throw alreadyPublished();
    throw new PublishError(`npm publish to ${registry} failed: ${publish.stderr.trim()}`, 'registry-failed');
  }
  return { name, version, registry, skipped: false };
}

/**
 * Publishes a library and the workspace packages it depends on at run time, dependencies first, so the
 * registry never holds a library whose dependency it cannot serve. The last tarball is the library;
 * `onPublished` hears of each one as it is done, so a refusal of a later one does not hide the earlier ones.
 */
export function publishRelease(
  tarballs: readonly string[],
  options: PublishOptions = {},
  onPublished: (published: Published) => void = () => undefined,
): Published[] {
  return tarballs.map((tarball, i) => {
    const whenPublished = i < tarballs.length - 1 ? 'skip-identical' : 'refuse';
    const published = publishTarball(tarball, { ...options, whenPublished });
    onPublished(published);
    return published;
  });
}

/**
 * `node tools/lib/publish.js [DEPENDENCY.tgz...] LIBRARY.tgz [NPM_ARGS...]` (the construct library's `release`
 * task): every leading `.tgz` argument is a tarball, the rest go to npm.
 */
function main(argv: string[]): number {
  const firstNpmArg = argv.findIndex((arg) => !arg.endsWith('.tgz'));
  const tarballs = firstNpmArg < 0 ? argv : argv.slice(0, firstNpmArg);
  const npmArgs = firstNpmArg < 0 ? [] : argv.slice(firstNpmArg);
  if (tarballs.length === 0) {
    process.stderr.write('Usage: node tools/lib/publish.js [DEPENDENCY.tgz...] LIBRARY.tgz [--registry URL]\n');
    return 2;
  }
  try {
    publishRelease(tarballs, { npmArgs, versionSource: process.env.FFC_VERSION_SOURCE }, (published) => {
      const verb = published.skipped ? 'already published, the same bytes:' : 'published';
      process.stdout.write(`${verb} ${published.name}@${published.version} to ${published.registry}\n`);
    });
    return 0;
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
