import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { exampleChange } from '@ffc/rules';
import { ffc } from './support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'ffc-rules-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const change = exampleChange({ reason: 'Try one-click checkout in QA', ticket: undefined });
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const valid = file('valid.json', change);
const invalid = file('invalid.json', { ...change, flagKey: 'Checkout_V2', rollout: { percentage: 150 } });
const malformed = file('malformed.json', '{"flagKey": ');

describe('ffc validate', () => {
  test('a valid change exits 0', async () => {
    const { out, exitCode } = await ffc('validate', valid);
    expect(out).toContain('valid.json: valid');
    expect(exitCode).toBe(0);
  });

  test('an invalid change exits 1 and names every violated rule with its field', async () => {
    const { out, exitCode } = await ffc('validate', invalid);
    expect(out).toMatch(/FFC-KEY-001\s+flagKey:/);
    expect(out).toMatch(/FFC-ROLLOUT-002\s+rollout.percentage:/);
    expect(exitCode).toBe(1);
  });

  test('--json prints one object per file, and malformed input exits 2', async () => {
    const { out, exitCode } = await ffc('validate', valid, invalid, malformed, join(dir, 'missing.json'), '--json');
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file.split('/').pop(), l.valid ?? 'error'])).toEqual([
      ['valid.json', true],
      ['invalid.json', false],
      ['malformed.json', 'error'],
      ['missing.json', 'error'],
    ]);
    expect(lines[2].error.message).toMatch(/not valid JSON/);
    expect(exitCode).toBe(2);
  });

  test('--production applies the production policy (a ticket is required)', async () => {
    const { out, exitCode } = await ffc('validate', valid, '--production', '--json');
    expect(JSON.parse(out).violations.map((v: { ruleId: string }) => v.ruleId)).toContain('FFC-PROD-001');
    expect(exitCode).toBe(1);
  });

  test('--stage and --production cannot be combined', async () => {
    const { err, exitCode } = await ffc('validate', valid, '--stage', 'qa', '--production');
    expect(err).toMatch(/cannot be used with/);
    expect(exitCode).toBe(2);
  });
});

describe('ffc rules and services', () => {
  test('rules list --json lists all 234 rules', async () => {
    const { out } = await ffc('rules', 'list', '--json');
    const rows = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(234);
    expect(rows[0]).toEqual({
      id: 'FFC-KEY-001',
      category: 'naming',
      severity: 'error',
      description: expect.any(String),
    });
  });

  test('rules show prints the conditions; an unknown id exits 2', async () => {
    expect((await ffc('rules', 'show', 'ffc-rollout-004')).out).toMatch(/"fact": "exposureGrowth"/);
    const unknown = await ffc('rules', 'show', 'FFC-NOPE-1');
    expect(unknown.err).toMatch(/no rule/);
    expect(unknown.exitCode).toBe(2);
  });

  test('services list --json prints the 156 services of the catalogue', async () => {
    const { out } = await ffc('services', 'list', '--json');
    const services = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(services).toHaveLength(156);
    expect(services[0]).toMatchObject({ id: expect.any(String), team: expect.any(String), tier: expect.any(Number) });
  });

  test('every command has help', async () => {
    const { out } = await ffc('--help');
    expect(out).toMatch(/validate/);
    expect(out).toMatch(/rules/);
    expect(out).toMatch(/services/);
  });
});
