import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AuditEvent,
  auditIndexPattern,
  auditTemplateName,
  createAuditClient,
  createAuditWriter,
  createFileSpool,
  installAuditIndex,
} from '@ffc/audit';
import { ensureEngines } from '@ffc/tools';
import { main } from '../src/main';

const { opensearchUrl } = ensureEngines(['opensearch']);
const client = createAuditClient({ kind: 'http', node: opensearchUrl });
const stage = `cli${randomBytes(4).toString('hex')}`;

function event(type: AuditEvent['type'], details: object, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type,
    stage,
    region: 'eu-west-1',
    flagKey: 'checkout-v2',
    version: 7,
    actor: 'ci',
    occurredAt: '2025-03-04T10:00:00Z',
    correlationId: 'chg-1',
    details,
    ...overrides,
  } as AuditEvent;
}

const chain = [
  event('change.requested', { reason: 'ramp up' }),
  event('change.published', { targetServices: ['checkout', 'basket'] }, { occurredAt: '2025-03-04T10:00:01Z' }),
  event(
    'change.applied',
    { appliedCount: 1, expectedCount: 2, missingServices: ['basket'] },
    { occurredAt: '2025-03-04T10:00:02Z', region: 'us-east-1' },
  ),
  event(
    'change.requested',
    { reason: 'older change' },
    { occurredAt: '2025-03-01T09:00:00Z', correlationId: 'chg-0', version: 6 },
  ),
];

/** Runs `ffc ...` in-process and returns what it printed and its exit code. */
async function ffc(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  process.exitCode = 0;
  await main(['node', 'ffc', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

beforeAll(async () => {
  await installAuditIndex({ client, stage, production: false });
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'ffc-cli-audit-'));
  const writer = createAuditWriter({ client, stage, buffer: createFileSpool({ directory }), retry: { refresh: true } });
  await writer.record(chain);
  await writer.flush();
  await fs.rm(directory, { recursive: true, force: true });
});

afterAll(async () => {
  await client.indices.delete({ index: auditIndexPattern(stage), ignore_unavailable: true });
  await client.indices.deleteIndexTemplate({ name: auditTemplateName(stage) });
  await client.close();
  delete process.env.FFC_STAGE;
});

describe('ffc history', () => {
  test('prints the flag history newest first', async () => {
    const { out, code } = await ffc('history', 'checkout-v2', '--stage', stage);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^2025-03-04T10:00:02.000Z  change.applied .* us-east-1 .* v7 .* chg-1  1\/2 applied; missing basket$/,
    );
    expect(lines[3]).toMatch(/change.requested .* chg-0  older change$/);
  });

  test('--json prints one event per line, and --limit caps them', async () => {
    const { out } = await ffc('history', 'checkout-v2', '--stage', stage, '--json', '--limit', '2');
    const records = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.type)).toEqual(['change.applied', 'change.published']);
    expect(records[0]).toMatchObject({ correlationId: 'chg-1', details: { missingServices: ['basket'] } });
    expect(records[0].id).toMatch(/^[0-9a-f]{64}$/);
  });

  test('takes the stage from FFC_STAGE', async () => {
    process.env.FFC_STAGE = stage;
    const { out } = await ffc('history', 'checkout-v2', '--limit', '1');
    delete process.env.FFC_STAGE;
    expect(out).toMatch(/change.applied/);
  });

  test('a flag without events exits 1 and says so', async () => {
    const { out, err, code } = await ffc('history', 'no-such-flag', '--stage', stage);
    expect({ out, code }).toEqual({ out: '', code: 1 });
    expect(err).toBe(`no audit events for flag 'no-such-flag' in stage '${stage}'\n`);
  });
});

describe('ffc timeline', () => {
  test('prints the chain of one change in order', async () => {
    const { out, code } = await ffc('timeline', 'chg-1', '--stage', stage, '--json');
    expect(code).toBe(0);
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['change.requested', 'change.published', 'change.applied']);
  });

  test('--help describes the command', async () => {
    const { out } = await ffc('timeline', '--help');
    expect(out).toMatch(/Usage: ffc timeline \[options\] <correlationId>/);
    expect(out).toMatch(/every audit event of one change/);
  });
});

describe('bad usage', () => {
  test('no stage is a usage error (exit 2) that says how to give one', async () => {
    delete process.env.FFC_STAGE;
    const { err, code } = await ffc('history', 'checkout-v2');
    expect(code).toBe(2);
    expect(err).toBe('ffc: no stage given: pass --stage NAME or set FFC_STAGE\n');
  });

  test('an invalid stage name is a usage error (exit 2)', async () => {
    const { err, code } = await ffc('timeline', 'chg-1', '--stage', 'Prod');
    expect(code).toBe(2);
    expect(err).toMatch(/stage 'Prod' must match/);
  });

  test('a bad --limit is a usage error (exit 2)', async () => {
    const { err, code } = await ffc('history', 'checkout-v2', '--stage', stage, '--limit', 'lots');
    expect(code).toBe(2);
    expect(err).toMatch(/--limit <count>' argument 'lots' is invalid/);
  });

  test('an unreachable OpenSearch exits 2 and names the URL to check', async () => {
    process.env.FFC_OPENSEARCH_URL = 'http://127.0.0.1:1';
    const { err, code } = await ffc('timeline', 'chg-1', '--stage', stage);
    delete process.env.FFC_OPENSEARCH_URL;
    expect(code).toBe(2);
    expect(err).toMatch(/^ffc: OpenSearch at http:\/\/127.0.0.1:1 is unreachable .*check FFC_OPENSEARCH_URL/);
  });
});
