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
      cloudDynamodbEndpoint: 'http://127.0.0.1:8012',
      cloudRedisPorts: [6401, 6402, 6403, 6404, 6405, 6406, 6407, 6408, 6409, 6410, 6411, 6412],
    });
  });
  test('the environment overrides each setting', () => {
    expect(engineSettings({ FFC_REDIS_URL: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
    expect(engineSettings({ FFC_CLOUD_REDIS_PORTS: '7001,7002' }).cloudRedisPorts).toEqual([7001, 7002]);
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
  test("every engine listens on loopback only, the local cloud's too (DynamoDB Local has no bind option of its own)", () => {
    const { cloudRedisPorts } = ensureEngines(['redis', 'dynamodb', 'opensearch', 'cloud']);
    const listening = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3])
      .filter(Boolean);
    for (const port of [6391, 8011, 9211, 9311, 8012, ...cloudRedisPorts]) {
      const addresses = listening.filter((address) => address.endsWith(`:${port}`));
      expect(addresses.length).toBeGreaterThan(0);
      for (const address of addresses) expect(address).toMatch(/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):\d+$/);
    }
  });
});
