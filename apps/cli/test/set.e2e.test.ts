import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleChange } from '@ffc/rules';
import { useFlagTable } from './support/flag-table';
import { ffc } from './support/run-cli';
import { flagStoreFor } from '../src/commands/set';

const stage = `c${randomBytes(3).toString('hex')}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-set-'));

function changeFile(name: string, change: Record<string, unknown>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(change));
  return file;
}

// What an operator writes: set computes stage, version, kind and changedAt.
const { stage: _stage, version: _version, kind: _kind, changedAt: _changedAt, ...change } = exampleChange();

describe('ffc set against DynamoDB Local', () => {
  const table = useFlagTable(stage);
  const store = () => flagStoreFor(stage);

  beforeAll(() => {
    // `ffc set` (in a child process and in flagStoreFor) reads the endpoint from the environment.
    process.env.FFC_DYNAMODB_ENDPOINT = table().endpoint;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes a valid change as the next version, with a correlation id', async () => {
    const result = await ffc('set', changeFile('v1.json', change), '--stage', stage, '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ flagKey: 'checkout-one-click', version: 1, written: true });
    const stored = await store().get('checkout-one-click');
    expect(stored).toMatchObject({
      version: 1,
      kind: 'change',
      stage,
      correlationId: JSON.parse(result.out).correlationId,
    });
    expect((await ffc('set', changeFile('v2.json', { ...change, value: false }), '--stage', stage)).out).toMatch(
      /^set checkout-one-click version 2/,
    );
  });

  test('an invalid change is refused with its rule ids and nothing is written', async () => {
    const result = await ffc('set', changeFile('bad.json', { ...change, value: 'yes' }), '--stage', stage);
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/refused by the rules, nothing written/);
    expect(result.err).toMatch(/error FFC-/);
    expect((await store().get('checkout-one-click'))?.version).toBe(2);
  });

  test('--dry-run validates against the current state and writes nothing', async () => {
    const result = await ffc('set', changeFile('dry.json', change), '--stage', stage, '--dry-run');
    expect(result.exitCode).toBe(0);
    expect(result.out).toMatch(/dry run, nothing written/);
    expect((await store().get('checkout-one-click'))?.version).toBe(2);
  });

  test('a stale explicit version, a connector-only kind and unreadable input are refused', async () => {
    expect((await ffc('set', changeFile('stale.json', { ...change, version: 2 }), '--stage', stage)).exitCode).toBe(1);
    expect(
      (await ffc('set', changeFile('rollback.json', { ...change, kind: 'rollback' }), '--stage', stage)).exitCode,
    ).toBe(2);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ not json');
    const result = await ffc('set', broken, '--stage', stage);
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/broken\.json/);
  });

  test('no stage is a usage error', async () => {
    const saved = process.env.FFC_STAGE;
    delete process.env.FFC_STAGE;
    expect((await ffc('set', changeFile('x.json', change))).exitCode).toBe(2);
    if (saved !== undefined) process.env.FFC_STAGE = saved;
  });
});
