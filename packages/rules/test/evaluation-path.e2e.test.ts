import { randomBytes } from 'node:crypto';
import {
  buildFanOutMessage,
  connectRedis,
  createFlagCache,
  createFlagReader,
  FfcOpenFeatureProvider,
  FlagCache,
  parseFanOutMessage,
  RedisClient,
} from '@ffc/cache';
import { ensureEngines } from '@ffc/tools';
import { FlagChange } from '../src';
import { scenario, validate } from './support/scenario';

let redis: RedisClient;
let cache: FlagCache;
let provider: FfcOpenFeatureProvider;
const SERVICE = 'checkout-receipt';

/** The validator's verdict, then the fan-out message the validator publishes and the cache updater applies. */
async function publish(edit: (change: Record<string, unknown>) => void): Promise<void> {
  const s = scenario();
  edit(s.change);
  s.context.current = undefined;
  s.context.history = [];
  s.change.version = 1;
  Object.assign(s.context, { production: false, stage: cache.stage });
  s.change.stage = cache.stage;
  expect(validate(s).violations.filter((v) => v.severity === 'error')).toEqual([]);
  await cache.apply(parseFanOutMessage(buildFanOutMessage(s.change as FlagChange, 'corr')), [SERVICE]);
}

beforeAll(async () => {
  redis = connectRedis({ url: ensureEngines(['redis']).redisUrl });
  await redis.connect();
  cache = createFlagCache({ redis, stage: `eval-${randomBytes(4).toString('hex')}` });
  await publish((c) => Object.assign(c, { flagKey: 'checkout-one-click', rollout: { percentage: 25 } }));
  await publish((c) =>
    Object.assign(c, {
      flagKey: 'checkout-dach-banner',
      type: 'string',
      value: 'dach-banner',
      offValue: 'no-banner',
      rollout: undefined,
      targeting: [{ attribute: 'country', operator: 'in', values: ['DE', 'AT', 'CH'] }],
    }),
  );
  const logger = { info: () => undefined, warn: () => undefined };
  provider = new FfcOpenFeatureProvider(
    createFlagReader({ redis, stage: cache.stage, service: SERVICE, region: 'r-1', logger }),
  );
  await provider.initialize();
});

afterAll(async () => {
  await provider.onClose();
  await cache.clear();
  redis.disconnect();
});

test('a 25 % rollout, validated and fanned out through Redis, serves 25 % ± 1 % of 100,000 distinct users', async () => {
  let served = 0;
  for (let i = 0; i < 100_000; i++) {
    const details = await provider.resolveBooleanEvaluation('checkout-one-click', false, { targetingKey: `user-${i}` });
    if (details.value) served++;
  }
  expect(Math.abs(served / 100_000 - 0.25)).toBeLessThanOrEqual(0.01);
});

test('targeting by attribute serves only the matching users', async () => {
  const countries = ['DE', 'AT', 'CH', 'US', 'FR', 'GB'];
  for (let i = 0; i < 600; i++) {
    const country = countries[i % countries.length];
    const details = await provider.resolveStringEvaluation('checkout-dach-banner', 'code-default', {
      targetingKey: `user-${i}`,
      country,
    });
    expect([country, details.value, details.reason]).toEqual(
      ['DE', 'AT', 'CH'].includes(country)
        ? [country, 'dach-banner', 'TARGETING_MATCH']
        : [country, 'no-banner', 'DEFAULT'],
    );
  }
});
