import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalRegistry, startLocalRegistry } from '@ffc/tools';

const packageDir = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
/** The library's one run-time workspace dependency, published with it at the same version. */
const identifiersDir = path.resolve(packageDir, '..', 'identifiers');
const identifiers = JSON.parse(fs.readFileSync(path.join(identifiersDir, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What another team does: install the published library in an app outside this workspace and synthesise a region. */
const SCRATCH_APP = `
const { App, Stack } = require('aws-cdk-lib');
const { FlagTable, RegionalPath } = require('@ffc/constructs');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Scratch', { env: { account: '123456789012', region: 'eu-west-1' } });
const flags = new FlagTable(stack, 'Flags', { stage: 'scratch', regions: ['eu-west-1'] });
new RegionalPath(stack, 'Path', { stage: 'scratch', flagTable: flags.table, services: ['checkout-api', 'search-api'], regions: ['eu-west-1'] });
app.synth();
`;

/** The release task's publishing step, run as `npx projen release` runs it after the build. */
const releaseTask = JSON.parse(fs.readFileSync(path.join(packageDir, '.projen', 'tasks.json'), 'utf8')).tasks.release;
const publishStep: string = releaseTask.steps.find((step: { exec?: string }) => step.exec?.includes('publish.js')).exec;
const runRelease = (npmrc: string) =>
  spawnSync('bash', ['-c', publishStep], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, ...releaseTask.env, NPM_CONFIG_USERCONFIG: npmrc },
  });

describe('the published construct library', () => {
  let scratch: string;
  let tarball: string;
  let registry: LocalRegistry;
  let publisherNpmrc: string;
  let firstRelease: ReturnType<typeof runRelease>;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-scratch-'));
    // What the build's package task does; the release publishes this file. npm pack needs the folder to exist
    // (the build target makes it; `test` alone runs on a clean checkout).
    const pack = (dir: string) => {
      fs.mkdirSync(path.join(dir, 'dist', 'js'), { recursive: true });
      return path.join(
        dir,
        'dist',
        'js',
        npm(['pack', '--pack-destination', 'dist/js', '--silent'], dir).trim().split('\n').pop()!,
      );
    };
    pack(identifiersDir);
    tarball = pack(packageDir);
    registry = await startLocalRegistry();
    const publisher = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-publisher-'));
    publisherNpmrc = registry.writeNpmrc(publisher, '@ffc');
    firstRelease = runRelease(publisherNpmrc);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(path.dirname(publisherNpmrc), { recursive: true, force: true });
  });

  test('depends on no workspace package but @ffc/identifiers, at its own version, and carries the bundled handlers', () => {
    const workspaceDeps = Object.entries(manifest.dependencies ?? {}).filter(([name]) => name.startsWith('@ffc/'));
    expect(workspaceDeps).toEqual([['@ffc/identifiers', `^${manifest.version}`]]);
    expect(identifiers).toMatchObject({ version: manifest.version, private: false });
    expect(identifiers.dependencies ?? {}).toEqual({});
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const handler of [
      'validator',
      'cacheUpdater',
      'verificationScheduler',
      'consistencyChecker',
      'rollback',
      'auditWriter',
      'flagWriter',
    ]) {
      expect(files).toContain(`package/assets/handlers/${handler}/index.js`);
    }
    expect(files).toContain('package/lib/index.js');
    expect(files.filter((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toEqual([]);
  });

  test('the release publishes @ffc/identifiers, then this version, to the registry .npmrc names', () => {
    expect(firstRelease.stderr).toBe('');
    expect(firstRelease.status).toBe(0);
    expect(firstRelease.stdout.trim().split('\n')).toEqual([
      `published @ffc/identifiers@${manifest.version} to ${registry.url}`,
      `published @ffc/constructs@${manifest.version} to ${registry.url}`,
    ]);
    for (const name of ['@ffc/identifiers', '@ffc/constructs']) {
      const versions = npm(['view', name, 'versions', '--json', `--userconfig=${publisherNpmrc}`], scratch);
      expect([JSON.parse(versions)].flat()).toEqual([manifest.version]);
    }
  });

  test('an app outside the workspace installs that version from the registry and synthesises a region with it', () => {
    fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
    // As another team's app is set up: @ffc packages from the internal registry, the rest from the public one.
    registry.writeNpmrc(scratch, '@ffc');
    npm(
      [
        'install',
        // The lockfile then says where each package came from.
        '--omit-lockfile-registry-resolved=false',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        `@ffc/constructs@${manifest.version}`,
        `aws-cdk-lib@${manifest.devDependencies['aws-cdk-lib']}`,
        `constructs@${manifest.devDependencies.constructs}`,
      ],
      scratch,
    );
    const lock = JSON.parse(fs.readFileSync(path.join(scratch, 'package-lock.json'), 'utf8'));
    for (const name of ['@ffc/constructs', '@ffc/identifiers']) {
      expect(lock.packages[`node_modules/${name}`]).toMatchObject({
        version: manifest.version,
        resolved: expect.stringMatching(new RegExp(`^${registry.url}`)),
      });
    }
    fs.writeFileSync(path.join(scratch, 'app.js'), SCRATCH_APP);
    execFileSync(process.execPath, ['app.js'], { cwd: scratch, stdio: 'pipe' });
    const template = JSON.parse(fs.readFileSync(path.join(scratch, 'cdk.out', 'Scratch.template.json'), 'utf8'));
    const functions = Object.values<{ Type: string; Properties: { FunctionName?: string } }>(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(
      functions
        .map((f) => f.Properties.FunctionName)
        .filter(Boolean)
        .sort(),
    ).toEqual(
      ['audit-writer', 'cache-updater', 'consistency-checker', 'rollback', 'validator', 'verification-scheduler'].map(
        (p) => `scratch-${p}`,
      ),
    );
    // The handlers travel as assets from the installed package.
    expect(
      fs.readdirSync(path.join(scratch, 'cdk.out')).filter((f) => f.startsWith('asset.')).length,
    ).toBeGreaterThanOrEqual(6);
  }, 180_000);

  test('releasing the same version again is refused, saying where to bump it', () => {
    const again = runRelease(publisherNpmrc);
    // The dependency's identical bytes are no reason to stop (a release that failed after it can run again).
    expect(again.stdout.trim()).toBe(
      `already published, the same bytes: @ffc/identifiers@${manifest.version} to ${registry.url}`,
    );
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(
      `@ffc/constructs@${manifest.version} is already published to ${registry.url}; a published version never ` +
        'changes: bump CONSTRUCTS_VERSION in projenrc/projects/constructs.ts and publish again',
    );
    // The registry itself refuses it too (the backstop when two releases race).
    const direct = spawnSync('npm', ['publish', tarball, `--userconfig=${publisherNpmrc}`], { encoding: 'utf8' });
    expect(direct.status).not.toBe(0);
    expect(direct.stderr).toMatch(/cannot publish over|already present/i);
  }, 60_000);
});
