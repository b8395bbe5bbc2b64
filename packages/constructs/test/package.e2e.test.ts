import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const packageDir = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What another team does: install the packed library in an app outside this workspace and synthesise a region. */
const SCRATCH_APP = `
const { App, Stack } = require('aws-cdk-lib');
const { FlagTable, RegionalPath } = require('@ffc/constructs');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Scratch', { env: { account: '123456789012', region: 'eu-west-1' } });
const flags = new FlagTable(stack, 'Flags', { stage: 'scratch', regions: ['eu-west-1'] });
new RegionalPath(stack, 'Path', { stage: 'scratch', flagTable: flags.table, services: ['checkout-api', 'search-api'], regions: ['eu-west-1'] });
app.synth();
`;

describe('the published construct library', () => {
  let scratch: string;
  let tarball: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-scratch-'));
    tarball = path.join(
      scratch,
      npm(['pack', '--pack-destination', scratch, '--silent'], packageDir).trim().split('\n').pop()!,
    );
  }, 120_000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('depends on no workspace package and carries the bundled handlers', () => {
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@ffc/'))).toEqual([]);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const handler of [
      'validator',
      'cacheUpdater',
      'verificationScheduler',
      'consistencyChecker',
      'rollback',
      'auditWriter',
    ]) {
      expect(files).toContain(`package/assets/handlers/${handler}/index.js`);
    }
    expect(files).toContain('package/lib/index.js');
    expect(files.filter((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toEqual([]);
  });

  test('an app outside the workspace installs the tarball and synthesises a region with it', () => {
    fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
    npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
        `aws-cdk-lib@${manifest.devDependencies['aws-cdk-lib']}`,
        `constructs@${manifest.devDependencies.constructs}`,
      ],
      scratch,
    );
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
});
