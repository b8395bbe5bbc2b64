import { ensureEngines } from '@ffc/tools';
import { checkEngines } from '../src/doctor';
import { main } from '../src/main';

describe('ffc doctor', () => {
  test('DynamoDB Local answers ListTables (and Redis and OpenSearch answer)', async () => {
    const settings = ensureEngines(['redis', 'dynamodb', 'opensearch']);
    const checks = await checkEngines(settings);
    expect(checks.map((c) => [c.engine, c.ok])).toEqual([
      ['redis', true],
      ['dynamodb', true],
      ['opensearch', true],
    ]);
    expect(checks[1].detail).toMatch(/^\d+ tables$/);
  });

  test('an engine that is down is reported, not thrown', async () => {
    const checks = await checkEngines({
      redisUrl: 'redis://127.0.0.1:1',
      dynamodbEndpoint: 'http://127.0.0.1:1',
      opensearchUrl: 'http://127.0.0.1:1',
    });
    expect(checks.every((c) => !c.ok && c.detail.length > 0)).toBe(true);
    expect(checks[0].detail).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
  });
});

describe('ffc --help', () => {
  test('lists the commands and exits cleanly', async () => {
    let out = '';
    await main(['node', 'ffc', '--help'], { out: (t) => (out += t), err: () => undefined });
    expect(out).toMatch(/Usage: ffc/);
    expect(out).toMatch(/doctor/);
  });

  test('an unknown command sets exit code 2', async () => {
    let err = '';
    await main(['node', 'ffc', 'frobnicate'], { out: () => undefined, err: (t) => (err += t) });
    expect(err).toMatch(/unknown command/);
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
  });
});
