import { randomBytes } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { connectRedis, createFlagCache, createFlagReader, FfcOpenFeatureProvider } from '@ffc/cache';
import { serviceCatalogue } from '@ffc/rules';
import { parseFlagStreamRecord } from '@ffc/store';
import { ensureEngines } from '@ffc/tools';
import type { DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  ACTORS,
  checkConsistency,
  createCacheUpdaterHandler,
  createSnsEventPublisher,
  createStreamValidator,
  createValidatorHandler,
} from '../src';
import { REGION, RecordingAudit, useLocalFlagTable, validChange } from './support/fixtures';
import { parsePublishedEvent } from '../src/handlers/verification-scheduler';

/**
 * Archiving through the whole path on real engines: the store writes the tombstone to DynamoDB Local, its
 * stream record goes through the validator and the real SNS message builder, the cache updater applies the
 * message to Redis, and a service's reader and OpenFeature provider stop serving the flag.
 */
describe('archiving a flag: store → stream validator → fan-out message → cache updater → Redis → provider', () => {
  const stage = `fa${randomBytes(3).toString('hex')}`;
  const queueNamePrefix = `${stage}-fanout-`;
  const table = useLocalFlagTable();
  const redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  const cache = createFlagCache({ redis, stage });
  const audit = new RecordingAudit();
  const messages: Array<{ body: string; detail: string }> = [];
  const appliedLines: Array<Record<string, unknown>> = [];
  const fakeAws = (sent: (input: unknown) => void, reply: unknown = {}) => ({
    send: async (command: { input: unknown }) => (sent(command.input), reply),
  });
  let pendingBody: string | undefined;
  const publisher = createSnsEventPublisher({
    sns: fakeAws((input) => (pendingBody = (input as PublishCommand['input']).Message)) as never,
    events: fakeAws(
      (input) => {
        const detail = (input as PutEventsCommand['input']).Entries![0].Detail!;
        messages.push({ body: pendingBody!, detail });
      },
      { FailedEntryCount: 0 },
    ) as never,
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:fan-out',
    eventBusName: 'flag-events',
  });
  const validate = createValidatorHandler(() =>
    createStreamValidator({
      store: table().store,
      publisher,
      audit,
      catalogue: serviceCatalogue,
      stage,
      production: false,
      region: REGION,
      actor: ACTORS.validator,
    }),
  );
  const updateCaches = createCacheUpdaterHandler(async () => ({
    cache,
    region: REGION,
    queueNamePrefix,
    appliedLog: { info: (line: object) => appliedLines.push(line as Record<string, unknown>) },
  }));
  const reader = createFlagReader({ redis, stage, service: 'checkout-receipt', region: REGION, logger: quiet() });
  const provider = new FfcOpenFeatureProvider(reader);
  const flagsChanged: string[][] = [];
  provider.events.addHandler('PROVIDER_CONFIGURATION_CHANGED' as never, (details) =>
    flagsChanged.push((details as { flagsChanged: string[] }).flagsChanged),
  );
  const flagKey = 'checkout-one-click';

  beforeAll(() => provider.initialize());
  afterAll(async () => {
    await provider.onClose();
    await cache.clear();
    redis.disconnect();
  });

  /** Runs the table's new stream records through the validator; returns the messages it published. */
  async function validateNewRecords() {
    const before = messages.length;
    const records = (await table().newStreamRecords()).filter((r) => parseFlagStreamRecord(r) !== null);
    expect((await validate({ Records: records } as DynamoDBStreamEvent)).batchItemFailures).toEqual([]);
    return messages.slice(before);
  }

  /** Delivers one published message to each service's queue, as SNS → SQS would. */
  async function deliver(body: string, services: readonly string[]) {
    const records = services.map(
      (service) =>
        ({
          messageId: randomBytes(4).toString('hex'),
          body,
          eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:${queueNamePrefix}${service}`,
        }) as SQSRecord,
    );
    expect((await updateCaches({ Records: records } as SQSEvent)).batchItemFailures).toEqual([]);
  }

  const resolve = () => provider.resolveBooleanEvaluation(flagKey, false, { targetingKey: 'user-1' });
  const eventually = async (check: () => Promise<boolean>) => {
    for (const deadline = Date.now() + 5000; !(await check());) {
      if (Date.now() > deadline) throw new Error('the reader did not catch up within 5 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  let v1Message: string;

  test('a live flag, narrowed from two services to one, is served', async () => {
    const store = table().store;
    await store.put(
      { ...validChange({ stage, services: ['checkout-receipt', 'checkout-api'] }), correlationId: 'create-1' },
      { expectedVersion: 0 },
    );
    await store.put(
      { ...validChange({ stage, version: 2, services: ['checkout-receipt'] }), correlationId: 'narrow-2' },
      { expectedVersion: 1 },
    );
    const [first, second] = await validateNewRecords();
    v1Message = first.body;
    await deliver(first.body, ['checkout-receipt', 'checkout-api']);
    await deliver(second.body, ['checkout-receipt']);
    await eventually(async () => (await resolve()).flagMetadata?.version === 2);
    expect(await resolve()).toMatchObject({ value: true, reason: 'STATIC' });
  });

  test('the archive removes it from every service any version reached; the provider answers FLAG_NOT_FOUND', async () => {
    const archived = await table().store.archive(flagKey, {
      expectedVersion: 2,
      changedBy: 'jdoe',
      reason: 'one-click checkout is the default now',
      correlationId: 'archive-3',
    });
    expect(archived.outcome).toBe('archived');
    const [message] = await validateNewRecords();
    // The real message builder's tombstone: identity and version, no value.
    expect(JSON.parse(message.body)).toEqual({
      flagKey,
      stage,
      version: 3,
      kind: 'archive',
      changedAt: expect.any(String),
      archived: true,
      correlationId: 'archive-3',
    });
    const detail = parsePublishedEvent(JSON.stringify({ detail: JSON.parse(message.detail) }));
    expect(detail).toMatchObject({ flagKey, version: 3, kind: 'archive' });
    expect([...detail.services].sort()).toEqual(['checkout-api', 'checkout-receipt']);
    await deliver(message.body, detail.services);

    expect(await cache.get('checkout-api', flagKey)).toBeUndefined();
    expect(await cache.record('checkout-api', flagKey)).toMatchObject({ version: 3, archived: true });
    await eventually(async () => (await resolve()).errorCode !== undefined);
    // OpenFeature: a flag that cannot be found resolves to the caller's default, reason ERROR, FLAG_NOT_FOUND.
    expect(await resolve()).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(flagsChanged.at(-1)).toEqual([flagKey]);

    const event = audit.events.find((e) => e.type === 'flag.archived');
    expect(event).toMatchObject({
      flagKey,
      version: 3,
      region: REGION,
      stage,
      correlationId: 'archive-3',
      actor: ACTORS.validator,
      details: {
        archivedVersion: 2,
        reason: 'one-click checkout is the default now',
        targetServices: ['checkout-api', 'checkout-receipt'],
      },
    });
  });

  test('verification sees the tombstone applied by every target, from the log lines and from the reader', async () => {
    const change = parsePublishedEvent(JSON.stringify({ detail: JSON.parse(messages.at(-1)!.detail) }));
    const applied = appliedLines
      .filter((line) => line.flagKey === flagKey)
      .map((line) => ({ service: String(line.service), flagKey, version: Number(line.storedVersion) }));
    expect(checkConsistency(REGION, [change], applied)[0]).toMatchObject({ consistent: true, appliedCount: 2 });
    // Without checkout-api's tombstone line the archive is inconsistent: it still holds v1 (v2 narrowed it away).
    const withoutApi = applied.filter((row) => !(row.service === 'checkout-api' && row.version === 3));
    expect(checkConsistency(REGION, [change], withoutApi)[0].differences).toEqual([
      { service: 'checkout-api', expectedVersion: 3, observedVersion: 1 },
    ]);
    await eventually(async () => (await cache.acknowledgements(flagKey, 3)).length > 0);
    expect((await cache.acknowledgements(flagKey, 3)).map((a) => a.service)).toEqual(['checkout-receipt']);
  });

  test('a late delivery of an older version cannot resurrect it', async () => {
    await deliver(v1Message, ['checkout-receipt', 'checkout-api']);
    expect(appliedLines.slice(-2).map((line) => [line.service, line.outcome, line.storedVersion])).toEqual([
      ['checkout-receipt', 'stale', 3],
      ['checkout-api', 'stale', 3],
    ]);
    expect(await cache.get('checkout-receipt', flagKey)).toBeUndefined();
    expect((await resolve()).errorCode).toBe('FLAG_NOT_FOUND');
  });

  // The store keeps versions above every tombstone; FFC-VER-002 asks for the history's next version (F74).
  test('re-creating the key is validated as a new flag and served at a version above the tombstone', async () => {
    const store = table().store;
    const latest = await store.latestVersion(flagKey);
    await store.put(
      { ...validChange({ stage, version: latest + 1, value: false }), correlationId: 'recreate-4' },
      { expectedVersion: latest },
    );
    const [message] = await validateNewRecords();
    expect(JSON.parse(message.body)).toMatchObject({ version: 4, value: false });
    await deliver(message.body, ['checkout-receipt']);
    await eventually(async () => (await resolve()).flagMetadata?.version === 4);
    expect(await resolve()).toMatchObject({ value: false, reason: 'STATIC' });
  });

  test('an archive written around the store without its reach is rejected and the flag written back', async () => {
    const other = 'checkout-gift-wrap';
    await table().store.put(
      { ...validChange({ stage, flagKey: other }), correlationId: 'gift-1' },
      { expectedVersion: 0 },
    );
    expect(await validateNewRecords()).toHaveLength(1);
    await table().writeCurrentRaw({
      flagKey: other,
      version: 2,
      kind: 'archive',
      archiveOf: 1,
      changedBy: 'mallory',
      reason: 'no services named',
      changedAt: new Date().toISOString(),
    });
    expect(await validateNewRecords()).toEqual([]);
    const rejected = audit.events.filter((e) => e.type === 'change.rejected' && e.flagKey === other);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].details).toMatchObject({ ruleIds: ['FFC-MODEL'] });
    expect(await table().store.get(other)).toMatchObject({ version: 3, kind: 'restore', value: true });
  });
});

function quiet() {
  return { info: () => undefined, warn: () => undefined };
}
