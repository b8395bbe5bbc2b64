import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { engineSettings, ensureEngines } from '../src/engines';

const script = path.resolve(__dirname, '..', 'engines');

describe('engineSettings', () => {
  test('defaults to the fixed loopback ports', () => {
    expect(engineSettings({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6391',
      dynamodbEndpoint: 'http://127.0.0.1:8011',
      opensearchUrl: 'http://127.0.0.1:9211',
    });
  });
  test('the environment overrides each setting', () => {
    expect(engineSettings({ FFC_REDIS_URL: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
  });
});

describe('tools/engines', () => {
  test('env prints export lines that match engineSettings', () => {
    const out = execFileSync(script, ['env'], { encoding: 'utf8' });
    const env = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((line) => line.replace(/^export /, '').split('=') as [string, string]),
    );
    expect(engineSettings(env)).toEqual(engineSettings({}));
  });
  test('an unknown engine is a clear error, not a start', () => {
    expect(() => execFileSync(script, ['up', 'mysql'], { stdio: 'pipe' })).toThrow(/unknown engine 'mysql'/);
  });
  test('--help documents every command', () => {
    const help = execFileSync(script, ['--help'], { encoding: 'utf8' });
    for (const command of ['up', 'down', 'status', 'env']) expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

describe('running engines', () => {
  test('every engine listens on loopback only (DynamoDB Local has no bind option of its own)', () => {
    ensureEngines(['redis', 'dynamodb', 'opensearch']);
    const listening = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3])
      .filter(Boolean);
    for (const port of [6391, 8011, 9211, 9311]) {
      const addresses = listening.filter((address) => address.endsWith(`:${port}`));
      expect(addresses.length).toBeGreaterThan(0);
      for (const address of addresses) expect(address).toMatch(/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):\d+$/);
    }
  });
});
