import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditAlias, parseAuditEvent } from '@ffc/audit';
import { KeyLayout, assertServiceId, toFlagEntry } from '@ffc/cache';
import { assignShards, resourceName } from '@ffc/constructs';
import { parseChangeToVerify } from '@ffc/functions';
import { FLAG_REGIONS, isFlagKey, isRegionCode, isServiceId, isStageName, isTeamId } from '@ffc/identifiers';
import { stageConfig } from '@ffc/infra/lib/config';
import { createValidationContext, exampleChange, serviceCatalogue, validateChange } from '@ffc/rules';
import { FlagStore, createFlagReader, flagTableName } from '@ffc/store';
import { Command } from 'commander';
import { registerSetCommand } from '../src/commands/set';

/**
 * The same good and bad identifiers, fed to every layer that checks them: each layer must give the verdict of
 * @ffc/identifiers. A layer that writes its own pattern again (and lets it drift) fails here by name.
 */
const IDENTIFIERS = {
  stage: {
    good: ['pr', 'qa', 'live', 'pr-142', 't-0123456789', 'a'.repeat(20)],
    bad: ['', 'p', 'Prod', '1pr', '9', 'pr_1', 'pr.1', 'pr{1}', 'a:b', 'pr 1', 'a'.repeat(21), 'a'.repeat(31)],
  },
  flagKey: {
    good: ['abc', 'checkout-one-click', 'search-v2', 'a'.repeat(64)],
    bad: ['', 'ab', 'Checkout', '1-flag', 'flag_key', 'flag.key', 'flag key', 'a'.repeat(65)],
  },
  serviceId: {
    good: ['ab', 'checkout-api', 'svc-156', 'a'.repeat(40)],
    bad: ['', 'a', 'Checkout', '-svc', '9svc', 'svc_1', 'svc:1', 'svc{1}', 'a'.repeat(41), 'a'.repeat(63)],
  },
  region: {
    good: ['eu-west-1', 'us-east-2', 'ap-southeast-2', 'us-gov-west-1', 'eu-central-2'],
    // The audit trail also takes 'global' (an operator's write to the global table), which is no region code.
    bad: ['', 'Europe', 'eu-west', 'EU-WEST-1', 'euwest1', 'eu-west-100', 'region-a', 'local'],
  },
};

type Verdict = 'accepted' | 'rejected';
type Layer = (value: string) => Verdict | Promise<Verdict>;

/** Runs a layer's check: a throw is a rejection (the typed errors are each package's own tests' business). */
async function verdictOf(check: () => unknown): Promise<Verdict> {
  try {
    await check();
    return 'accepted';
  } catch (error) {
    if (error instanceof ReachedTheTable) return 'accepted';
    return 'rejected';
  }
}

/** The store got as far as DynamoDB: it accepted every identifier it was given. */
class ReachedTheTable extends Error {}
const reader = createFlagReader({
  client: { send: () => Promise.reject(new ReachedTheTable()) } as never,
  tableName: 'pr-7-flags',
});

const event = (overrides: Record<string, unknown>) => ({
  type: 'change.verified',
  stage: 'pr-7',
  region: 'eu-west-1',
  flagKey: 'checkout-one-click',
  version: 1,
  actor: 'identifier-grammars-test',
  occurredAt: '2025-03-04T10:00:00Z',
  correlationId: 'chg-1',
  details: { verifiedServices: 1 },
  ...overrides,
});

/** The CDK app reads the stage and regions from context. */
const infraConfig = (context: Record<string, unknown>) =>
  stageConfig({ tryGetContext: (key: string) => context[key] } as never, {});
const infraContext = { stage: 'pr-7', costCentre: 'ffc', owner: 'platform', regions: ['eu-west-1'] };

/** `ffc set --stage S`: refused before any read of the table when S is no stage name. */
async function cliSet(stage: string): Promise<Verdict> {
  const program = new Command().exitOverride();
  let reached = false;
  const storeFor = (): FlagStore => {
    reached = true;
    throw new ReachedTheTable();
  };
  registerSetCommand(program, { out: () => undefined, err: () => undefined }, storeFor);
  process.exitCode = 0;
  await program.parseAsync(['node', 'ffc', 'set', 'change.json', '--stage', stage]).catch(() => undefined);
  process.exitCode = 0;
  return reached ? 'accepted' : 'rejected';
}

/** A grammar broken in one of these would only be found in production: every layer is listed by name. */
const LAYERS: Record<keyof typeof IDENTIFIERS, Record<string, Layer>> = {
  stage: {
    'cache key layout (KeyLayout)': (s) => verdictOf(() => new KeyLayout(s)),
    'audit index names (auditAlias)': (s) => verdictOf(() => auditAlias(s)),
    'audit event envelope (parseAuditEvent)': (s) => verdictOf(() => parseAuditEvent(event({ stage: s }))),
    'store table name (flagTableName)': (s) => verdictOf(() => flagTableName(s)),
    'construct naming (resourceName)': (s) => verdictOf(() => resourceName(s, 'flags')),
    'infra config (stageConfig)': (s) => verdictOf(() => infraConfig({ ...infraContext, stage: s })),
    'CLI (ffc set --stage)': cliSet,
  },
  flagKey: {
    'rules model (FFC-KEY rules)': (k) => {
      const context = createValidationContext({ now: new Date(), stage: 'qa' });
      const { violations } = validateChange(exampleChange({ flagKey: k }), context);
      return violations.some((v) => /^FFC-KEY-00[123]$/.test(v.ruleId)) ? 'rejected' : 'accepted';
    },
    'store reader (get)': (k) => verdictOf(() => reader.get(k)),
    'cache entry (toFlagEntry)': (k) =>
      verdictOf(() => toFlagEntry({ flagKey: k, version: 1, type: 'boolean', value: true })),
    'verification (parseChangeToVerify)': (k) =>
      verdictOf(() => parseChangeToVerify({ flagKey: k, version: 1, services: ['checkout-api'], correlationId: 'c' })),
  },
  serviceId: {
    'cache key layout (assertServiceId)': (id) => verdictOf(() => assertServiceId(id)),
    'construct fan-out shards (assignShards)': (id) => verdictOf(() => assignShards([id], 4)),
  },
  region: {
    'store reader (verifiedVersions)': (r) => verdictOf(() => reader.verifiedVersions('checkout-one-click', [r])),
    'audit event envelope (parseAuditEvent)': (r) => verdictOf(() => parseAuditEvent(event({ region: r }))),
    'infra config (stageConfig)': (r) => verdictOf(() => infraConfig({ ...infraContext, regions: [r] })),
  },
};

const GRAMMARS: Record<keyof typeof IDENTIFIERS, (value: string) => boolean> = {
  stage: isStageName,
  flagKey: isFlagKey,
  serviceId: isServiceId,
  region: isRegionCode,
};

describe.each(Object.keys(IDENTIFIERS) as (keyof typeof IDENTIFIERS)[])('%s: every layer agrees', (kind) => {
  const { good, bad } = IDENTIFIERS[kind];
  test('the table itself: the good ones are valid and the bad ones are not', () => {
    expect(good.filter((v) => !GRAMMARS[kind](v))).toEqual([]);
    expect(bad.filter((v) => GRAMMARS[kind](v))).toEqual([]);
  });
  test.each(Object.keys(LAYERS[kind]))('%s', async (layer) => {
    const check = LAYERS[kind][layer];
    const verdicts = async (values: string[]) =>
      Object.fromEntries(await Promise.all(values.map(async (v) => [v, await check(v)] as const)));
    expect(await verdicts(good)).toEqual(Object.fromEntries(good.map((v) => [v, 'accepted'])));
    expect(await verdicts(bad)).toEqual(Object.fromEntries(bad.map((v) => [v, 'rejected'])));
  });
});

describe('the catalogue and the CDK app name their identifiers by the same grammars', () => {
  test('every service id, team and region of the catalogue is valid', () => {
    const { services, teams, regions } = serviceCatalogue;
    expect(services.map((s) => s.id).filter((id) => !isServiceId(id))).toEqual([]);
    expect([...teams, ...services.map((s) => s.team)].filter((team) => !isTeamId(team))).toEqual([]);
    expect([...regions, ...services.flatMap((s) => s.regions)].filter((r) => !isRegionCode(r))).toEqual([]);
  });

  test('the twelve regions are one list: the catalogue and the CDK app default to FLAG_REGIONS', () => {
    const cdkJson = JSON.parse(readFileSync(join(__dirname, '../../infra/cdk.json'), 'utf8'));
    expect(serviceCatalogue.regions).toEqual(FLAG_REGIONS);
    expect(cdkJson.context.regions).toEqual(FLAG_REGIONS);
  });
});
