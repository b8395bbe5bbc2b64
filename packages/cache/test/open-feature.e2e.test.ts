import { ensureEngines } from '@ffc/tools';
import { ErrorCode, OpenFeature, ProviderEvents, StandardResolutionReasons } from '@openfeature/server-sdk';
import {
  connectRedis,
  createFlagCache,
  createFlagReader,
  FfcOpenFeatureProvider,
  FlagCache,
  RedisClient,
} from '../src';
import { randomStage, recordingLogger } from './support/fixtures';

let redis: RedisClient;
let cache: FlagCache;
const domain = `ffc-test-${Math.random()}`;

beforeAll(async () => {
  redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  await redis.connect();
  cache = createFlagCache({ redis, stage: randomStage() });
  const service = ['checkout'];
  await cache.apply({ flagKey: 'new-checkout', version: 1, type: 'boolean', value: true }, service);
  await cache.apply({ flagKey: 'checkout-theme', version: 2, type: 'string', value: 'dark' }, service);
  await cache.apply({ flagKey: 'checkout-retries', version: 3, type: 'number', value: 4 }, service);
  await cache.apply({ flagKey: 'checkout-limits', version: 4, type: 'json', value: { max: 10 } }, service);
  const reader = createFlagReader({
    redis,
    stage: cache.stage,
    service: 'checkout',
    region: 'r-1',
    logger: recordingLogger(),
  });
  await OpenFeature.setProviderAndWait(domain, new FfcOpenFeatureProvider(reader));
});

afterAll(async () => {
  await OpenFeature.close();
  await cache.clear();
  redis.disconnect();
});

test('resolves boolean, string, number and object flags with reason STATIC and the version as metadata', async () => {
  const client = OpenFeature.getClient(domain);
  await expect(client.getBooleanDetails('new-checkout', false)).resolves.toMatchObject({
    value: true,
    reason: StandardResolutionReasons.STATIC,
    flagMetadata: { version: 1 },
  });
  await expect(client.getStringDetails('checkout-theme', 'light')).resolves.toMatchObject({
    value: 'dark',
    reason: 'STATIC',
  });
  await expect(client.getNumberValue('checkout-retries', 0)).resolves.toBe(4);
  await expect(client.getObjectDetails('checkout-limits', {})).resolves.toMatchObject({
    value: { max: 10 },
    reason: 'STATIC',
  });
});

test('an unknown flag gives the default with FLAG_NOT_FOUND; a wrong type gives TYPE_MISMATCH', async () => {
  const client = OpenFeature.getClient(domain);
  await expect(client.getBooleanDetails('no-such-flag', true)).resolves.toMatchObject({
    value: true,
    reason: StandardResolutionReasons.ERROR,
    errorCode: ErrorCode.FLAG_NOT_FOUND,
  });
  await expect(client.getNumberDetails('checkout-theme', 7)).resolves.toMatchObject({
    value: 7,
    reason: StandardResolutionReasons.ERROR,
    errorCode: ErrorCode.TYPE_MISMATCH,
  });
});

test('a pushed change fires ConfigurationChanged and the next evaluation sees it', async () => {
  const client = OpenFeature.getClient(domain);
  const changed = new Promise<string[] | undefined>((resolve) =>
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => resolve(details?.flagsChanged)),
  );
  await cache.apply({ flagKey: 'checkout-theme', version: 5, type: 'string', value: 'blue' }, ['checkout']);
  await expect(changed).resolves.toEqual(['checkout-theme']);
  await expect(client.getStringValue('checkout-theme', 'light')).resolves.toBe('blue');
});
