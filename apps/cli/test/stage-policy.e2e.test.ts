import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditEvent } from '@ffc/audit';
import { ACTORS, createStreamValidator } from '@ffc/functions';
import { exampleChange, parseChangePolicyJson, serviceCatalogue } from '@ffc/rules';
import { useFlagTable } from './support/flag-table';
import { ffc } from './support/run-cli';
import { flagStoreFor } from '../src/commands/set';

const stage = `p${randomBytes(3).toString('hex')}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-policy-'));
const HOUR = 3_600_000;

function file(name: string, content: unknown): string {
  const written = path.join(dir, name);
  fs.writeFileSync(written, JSON.stringify(content));
  return written;
}

// What an operator writes: set computes stage, version, kind and changedAt.
const { stage: _s, version: _v, kind: _k, changedAt: _c, ...change } = exampleChange();
/** A freeze around now, in the stage's configuration file (the one its infra context `changePolicy` names). */
const frozen = file('frozen.json', {
  timeZone: 'Europe/Berlin',
  freezes: [
    {
      from: new Date(Date.now() - HOUR).toISOString(),
      to: new Date(Date.now() + HOUR).toISOString(),
      reason: 'Black Friday',
    },
  ],
});
const open = file('open.json', { timeZone: 'Europe/Berlin' });

/**
 * `ffc set` and the stream validator judge the same change by the same stage configuration: one refuses it
 * early, the other (for a write that bypassed the CLI) refuses it in every region, under the same rule ids.
 */
describe('a stage’s change policy reaches both ffc set and the stream validator (DynamoDB Local)', () => {
  const table = useFlagTable(stage);
  const store = () => flagStoreFor(stage);

  beforeAll(async () => {
    // `ffc set` (in a child process and in flagStoreFor) reads the endpoint from the environment.
    process.env.FFC_DYNAMODB_ENDPOINT = table().endpoint;
    expect((await ffc('set', file('v1.json', change), '--stage', stage)).exitCode).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An ordinary edit, no safety valve (a turn-off would pass any freeze, by design). */
  const reworded = { description: 'One-click checkout for returning customers, worded anew' };

  /** The error rule ids `ffc set --production` refuses an edit with under the given policy file ([] written). */
  async function refusedBySet(policy: string): Promise<string[]> {
    const edit = file('edit.json', { ...change, ...reworded });
    const result = await ffc('set', edit, '--stage', stage, '--production', '--change-policy', policy, '--json');
    if (result.exitCode === 0) return [];
    expect(result.exitCode).toBe(1);
    const { violations } = JSON.parse(result.err) as { violations: { ruleId: string; severity: string }[] };
    return violations.filter((v) => v.severity === 'error').map((v) => v.ruleId);
  }

  /** The rule ids the production stream validator refuses the same edit with, written past the CLI ([] published). */
  async function refusedByValidator(policy: string): Promise<string[]> {
    const current = (await store().get(change.flagKey))!;
    const edit = { ...current, ...reworded, version: current.version + 1, changedAt: new Date().toISOString() };
    await store().put(edit, { expectedVersion: current.version });
    const audit: AuditEvent[] = [];
    const validator = createStreamValidator({
      store: store(),
      publisher: { publish: async () => undefined },
      audit: { record: async (events) => void audit.push(...events) },
      catalogue: serviceCatalogue,
      stage,
      production: true,
      region: 'eu-west-1',
      regions: ['eu-west-1'],
      changePolicy: parseChangePolicyJson(fs.readFileSync(policy, 'utf8'), policy),
      actor: ACTORS.validator,
    });
    const outcome = await validator.process({
      eventName: 'MODIFY',
      flagKey: change.flagKey,
      newDocument: edit,
      oldDocument: current,
    });
    if (outcome?.outcome === 'published') return [];
    expect(outcome).toMatchObject({ outcome: 'rejected', restore: 'restored' });
    return [...(outcome as { ruleIds: readonly string[] }).ruleIds];
  }

  test('inside a configured freeze both refuse the change with FFC-PROD-005; outside it neither names it', async () => {
    const bySet = await refusedBySet(frozen);
    const byValidator = await refusedByValidator(frozen);
    expect(bySet).toContain('FFC-PROD-005');
    expect(new Set(byValidator)).toEqual(new Set(bySet));
    expect(await refusedBySet(open)).not.toContain('FFC-PROD-005');
    expect(await refusedByValidator(open)).not.toContain('FFC-PROD-005');
  });

  test('an unreadable policy file is refused as bad input (exit 2), saying what is wrong', async () => {
    const result = await ffc(
      'set',
      file('x.json', change),
      '--stage',
      stage,
      '--change-policy',
      file('bad.json', { freezes: [{ from: 'soon' }] }),
    );
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/freeze \{"from":"soon"\} must be \{ from, to, reason \}/);
  });

  test('ffc set refuses a three-hop prerequisite cycle (FFC-PREREQ-006), seen through the whole chain', async () => {
    const needing = (flagKey: string, prerequisite: string) =>
      exampleChange({ stage, flagKey, prerequisites: [{ flagKey: prerequisite, value: true }] });
    // Written past the rules (the store checks versions only): beta needs me, alpha needs beta.
    await store().put({ ...needing('beta-flag', 'me-flag') }, { expectedVersion: 0 });
    await store().put({ ...needing('alpha-flag', 'beta-flag') }, { expectedVersion: 0 });
    const me = { ...change, flagKey: 'me-flag', prerequisites: [{ flagKey: 'alpha-flag', value: true }] };
    const result = await ffc('set', file('me.json', me), '--stage', stage);
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/error FFC-PREREQ-006 .*me-flag -> alpha-flag -> beta-flag -> me-flag/);
  });
});
