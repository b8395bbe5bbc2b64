import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What CI's `nx affected` (.github/workflows/ci.yml) selects, proven on a scratch clone of this repository:
 * two commits on top of HEAD, compared with `--base`/`--head` the way CI compares a pull request.
 */
const repo = path.resolve(__dirname, '..', '..');

describe('nx affected on a scratch clone', () => {
  let clone: string;
  let base: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=ffc-test', '-c', 'user.email=ffc-test@example.com', ...args], {
      cwd: clone,
      encoding: 'utf8',
    }).trim();
  /** Commits one edited file on top of the base and returns the projects Nx says it affects. */
  const affectedBy = (file: string, edit: string): string[] => {
    git('checkout', '-q', '--detach', base);
    fs.appendFileSync(path.join(clone, file), edit);
    git('commit', '-qam', `edit ${file}`);
    const head = git('rev-parse', 'HEAD');
    const out = execFileSync(
      path.join(clone, 'node_modules', '.bin', 'nx'),
      ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json'],
      { cwd: clone, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
    );
    return (JSON.parse(out) as string[]).sort();
  };

  beforeAll(() => {
    clone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-affected-')), 'ffc');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    // `npm ci` in the clone would take minutes; the installed tree is the same lockfile's.
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(clone, 'node_modules'));
    base = git('rev-parse', 'HEAD');
  }, 30_000);
  afterAll(() => fs.rmSync(path.dirname(clone), { recursive: true, force: true }));

  test('a change to the cache package affects it and everything above it, not its siblings', () => {
    // DESIGN.md's arrows: functions uses cache; constructs bundles functions; infra uses constructs;
    // cli and local-cloud use cache; rules checks changes against cache's evaluation contract (targeting
    // operators, buckets). audit, store and tools are below or beside it.
    expect(affectedBy('packages/cache/src/index.ts', '// an edit\n')).toEqual([
      'cache',
      'cli',
      'constructs',
      'functions',
      'infra',
      'local-cloud',
      'rules',
    ]);
  }, 30_000);

  test('a change to the README affects nothing that builds', () => {
    expect(affectedBy('README.md', '\nAn edit.\n')).toEqual([]);
  }, 30_000);
});
