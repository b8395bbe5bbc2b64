import { ensureEngines } from '@ffc/tools';
import { ErrorCode, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import {
  buildFanOutMessage,
  connectRedis,
  createFlagCache,
  createFlagReader,
  FfcOpenFeatureProvider,
  FlagCache,
  InvalidFanOutMessageError,
  InvalidFlagUpdateError,
  parseFanOutMessage,
  RedisClient,
} from '../src';
import { eventually, randomStage, recordingLogger } from './support/fixtures';

let redis: RedisClient;
let cache: FlagCache;
const SERVICE = 'checkout';
const domain = `ffc-eval-${Math.random()}`;
let provider: FfcOpenFeatureProvider;

const theme = {
  flagKey: 'checkout-theme',
  stage: '',
  version: 3,
  kind: 'change',
  changedAt: '2026-12-01T10:00:00Z',
  type: 'string' as const,
  value: 'dark',
  offValue: 'light',
  variants: { on: 'dark', off: 'light' },
  rollout: { percentage: 25 },
  targeting: [{ attribute: 'country', operator: 'in', values: ['DE', 'AT'] }],
};

/** The cache updater's path: the published message, parsed, applied to one service. */
const deliver = (message: string) => cache.apply(parseFanOutMessage(message), [SERVICE]);

beforeAll(async () => {
  redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  await redis.connect();
  cache = createFlagCache({ redis, stage: randomStage() });
  theme.stage = cache.stage;
  await deliver(buildFanOutMessage(theme, 'corr-1'));
  const reader = createFlagReader({
    redis,
    stage: cache.stage,
    service: SERVICE,
    region: 'r-1',
    logger: recordingLogger(),
  });
  provider = new FfcOpenFeatureProvider(reader);
  await OpenFeature.setProviderAndWait(domain, provider);
});

afterAll(async () => {
  await OpenFeature.close();
  await cache.clear();
  redis.disconnect();
});

test('the whole spec travels: message → Redis → reader, and the provider evaluates it per context', async () => {
  expect(await cache.get(SERVICE, 'checkout-theme')).toMatchObject({
    offValue: 'light',
    rollout: { percentage: 25 },
    targeting: theme.targeting,
  });
  const client = OpenFeature.getClient(domain);
  const served = { dark: 0, light: 0 } as Record<string, number>;
  for (let i = 0; i < 4000; i++) {
    const details = await client.getStringDetails('checkout-theme', 'code-default', {
      targetingKey: `u-${i}`,
      country: 'DE',
    });
    expect(details).toMatchObject({ reason: 'SPLIT', flagMetadata: { version: 3, changedAt: theme.changedAt } });
    expect(details.variant).toBe(details.value);
    served[details.value]++;
  }
  expect(Math.abs(served.dark / 4000 - 0.25)).toBeLessThan(0.03);
  await expect(
    client.getStringDetails('checkout-theme', 'code-default', { targetingKey: 'u-1', country: 'US' }),
  ).resolves.toMatchObject({
    value: 'light',
    variant: 'light',
    reason: 'DEFAULT',
  });
});

test('archiving: a tombstone with a version; older deliveries cannot resurrect it; providers answer FLAG_NOT_FOUND', async () => {
  const changed = new Promise<string[]>((resolve) =>
    OpenFeature.getClient(domain).addHandler(ProviderEvents.ConfigurationChanged, (event) =>
      resolve(event?.flagsChanged ?? []),
    ),
  );
  const archive = {
    flagKey: 'checkout-theme',
    stage: cache.stage,
    version: 4,
    changedAt: '2026-12-02T10:00:00Z',
    archived: true as const,
  };
  expect((await deliver(buildFanOutMessage(archive))).applied).toEqual([SERVICE]);
  await expect(changed).resolves.toEqual(['checkout-theme']);
  // A late delivery of version 3 is stale: the archive stays.
  expect((await deliver(buildFanOutMessage(theme))).stale).toEqual([SERVICE]);
  expect(await cache.get(SERVICE, 'checkout-theme')).toBeUndefined();
  expect(await cache.record(SERVICE, 'checkout-theme')).toMatchObject({ version: 4, archived: true });
  expect(await cache.snapshot(SERVICE)).toEqual({});
  const details = await eventually(async () => {
    const d = await OpenFeature.getClient(domain).getStringDetails('checkout-theme', 'code-default', {
      targetingKey: 'u-1',
    });
    return d.errorCode === ErrorCode.FLAG_NOT_FOUND ? d : undefined;
  });
  expect(details).toMatchObject({ value: 'code-default', reason: 'ERROR' });
  // A fresh reader sees the tombstone in the snapshot, and a re-created flag (version 5) serves again.
  await deliver(buildFanOutMessage({ ...theme, version: 5, rollout: undefined, targeting: undefined }));
  await expect(
    eventually(() => (provider.reader.get('checkout-theme')?.version === 5 ? true : undefined)),
  ).resolves.toBe(true);
});

test('an entry that cannot be evaluated resolves PARSE_ERROR; before start the provider is PROVIDER_NOT_READY', async () => {
  const entry = {
    flagKey: 'broken-flag',
    version: 1,
    type: 'boolean',
    value: true,
    changedAt: theme.changedAt,
    targeting: [{ attribute: 'plan', operator: 'regex', values: ['x'] }],
  };
  await redis.hset(cache.keys.serviceFlags(SERVICE), 'v:broken-flag', '1', 'e:broken-flag', JSON.stringify(entry));
  await redis.publish(cache.keys.serviceChannel(SERVICE), JSON.stringify(entry));
  const details = await eventually(async () => {
    const d = await OpenFeature.getClient(domain).getBooleanDetails('broken-flag', false);
    return d.errorCode === ErrorCode.PARSE_ERROR ? d : undefined;
  });
  expect(details.errorMessage).toMatch(/unknown operator 'regex'/);

  const idle = new FfcOpenFeatureProvider(
    createFlagReader({ redis, stage: cache.stage, service: SERVICE, region: 'r-1' }),
  );
  expect(idle.resolve('checkout-theme', 'd', 'string', {})).toMatchObject({ errorCode: ErrorCode.PROVIDER_NOT_READY });
});

test('the writer refuses a spec services could not evaluate, and the message parser a message not published', async () => {
  await expect(
    cache.apply({ ...theme, version: 9, targeting: [{ attribute: 'plan', operator: 'matches', values: ['('] }] }, [
      SERVICE,
    ]),
  ).rejects.toThrow(InvalidFlagUpdateError);
  await expect(cache.apply({ ...theme, version: 9, offValue: undefined }, [SERVICE])).rejects.toThrow(
    /needs an offValue/,
  );
  expect(() => parseFanOutMessage(JSON.stringify({ ...theme, version: 0 }))).toThrow(InvalidFanOutMessageError);
  expect(() => parseFanOutMessage(JSON.stringify({ ...theme, stage: undefined }))).toThrow(/stage/);
  expect(() => parseFanOutMessage(JSON.stringify({ ...theme, kind: 'oops' }), { kinds: ['change'] })).toThrow(/kind/);
});
