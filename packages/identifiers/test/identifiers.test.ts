import {
  assertFlagKey,
  assertRegionCode,
  assertServiceId,
  assertStageName,
  assertTeamId,
  FLAG_REGIONS,
  InvalidFlagKeyError,
  InvalidIdentifierError,
  InvalidRegionCodeError,
  InvalidServiceIdError,
  InvalidStageNameError,
  InvalidTeamIdError,
  isRegionCode,
  regionalFactUpdate,
} from '../src';

describe('each grammar accepts its good identifiers and rejects the bad ones with its own error', () => {
  const cases = [
    {
      assert: assertStageName,
      error: InvalidStageNameError,
      good: ['pr', 'live', 'pr-142', 'a'.repeat(20)],
      bad: ['p', 'Prod', '1pr', 'a'.repeat(21), 'pr_1', 'pr{1}', 'a:b', 'pr.1'],
    },
    {
      assert: assertFlagKey,
      error: InvalidFlagKeyError,
      good: ['abc', 'checkout-redesign', 'a'.repeat(64)],
      bad: ['ab', 'Checkout V2', '1-flag', 'a'.repeat(65), 'flag_key'],
    },
    {
      assert: assertServiceId,
      error: InvalidServiceIdError,
      good: ['ab', 'checkout-api', 'svc-156', 'a'.repeat(40)],
      bad: ['a', 'Checkout', 'svc_1', 'svc:1', '-svc', 'a'.repeat(41)],
    },
    {
      assert: assertTeamId,
      error: InvalidTeamIdError,
      good: ['platform', 'checkout', 'data-eng'],
      bad: ['p', 'Platform', 'team one', 'a'.repeat(41)],
    },
    {
      assert: assertRegionCode,
      error: InvalidRegionCodeError,
      good: ['eu-west-1', 'us-gov-west-1', 'us-isob-east-1', 'ap-southeast-5'],
      bad: ['Europe', 'eu-west', 'EU-WEST-1', 'euwest1', 'eu-west-100', 'region-a'],
    },
  ];
  describe.each(cases)('$error.name', ({ assert, error, good, bad }) => {
    test.each(good)('accepts %j', (value) => expect(assert(value)).toBe(value));
    test.each([...bad, '', undefined, 7])('rejects %j', (value) => {
      expect(() => assert(value)).toThrow(error);
      expect(() => assert(value)).toThrow(InvalidIdentifierError);
    });
  });
});

describe('the error says what is wrong and what is right', () => {
  const message = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('did not throw');
  };
  test.each([
    [() => assertStageName('Prod'), 'stage name "Prod" must match ^[a-z][a-z0-9-]{1,19}$: it contains "P"'],
    [() => assertStageName('a'.repeat(21)), 'is 21 characters, at most 20'],
    [() => assertFlagKey('ab'), 'flag key "ab" must match ^[a-z][a-z0-9-]{2,63}$: it is 2 characters, at least 3'],
    [() => assertServiceId('9lives'), 'it does not start with a lowercase letter'],
    [() => assertTeamId(undefined), 'team id undefined must match ^[a-z][a-z0-9-]{1,39}$: it is missing'],
    [() => assertTeamId(7), 'it is a number, not a string'],
    [() => assertRegionCode('eu-west'), "does not have the required shape (an AWS region code such as 'eu-west-1')"],
  ])('%#', (run, expected) => expect(message(run)).toContain(expected));

  test('the error carries the value and the pattern for callers that render their own', () => {
    const error = new InvalidServiceIdError('Checkout');
    expect([error.name, error.kind, error.value, error.pattern.source, error.problem]).toEqual([
      'InvalidServiceIdError',
      'service id',
      'Checkout',
      '^[a-z][a-z0-9-]{1,39}$',
      'contains "C"',
    ]);
  });
});

test('the twelve flag regions are distinct region codes', () => {
  expect(new Set(FLAG_REGIONS).size).toBe(12);
  expect(FLAG_REGIONS.filter((region) => !isRegionCode(region))).toEqual([]);
});

describe('regionalFactUpdate: the one write of a region fact', () => {
  test('names only the attributes it lists, and raises the version only', () => {
    const update = regionalFactUpdate('verified');
    expect(update).toEqual({
      skPrefix: 'VERIFIED#',
      updateExpression: 'SET #version = :version, #at = :at, #region = :region',
      conditionExpression: 'attribute_not_exists(#version) OR #version < :version',
      expressionAttributeNames: { '#version': 'verifiedVersion', '#at': 'verifiedAt', '#region': 'region' },
      attributes: ['pk', 'sk', 'verifiedVersion', 'verifiedAt', 'region'],
      versionAttribute: 'verifiedVersion',
    });
    expect(regionalFactUpdate('published').attributes).toEqual([
      'pk',
      'sk',
      'publishedVersion',
      'publishedAt',
      'region',
    ]);
    expect(regionalFactUpdate('published').skPrefix).toBe('PUBLISHED#');
  });
});
