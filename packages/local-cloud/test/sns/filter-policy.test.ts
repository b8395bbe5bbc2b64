import {
  FilterPolicyError,
  FilterPolicyScope,
  SnsMessageAttribute,
  SnsMessageToFilter,
  compileFilterPolicy,
} from '../../src/sns/filter-policy';

// The AWS pages write attributes as {"Type": ..., "Value": ...}; the Publish API names them DataType/StringValue.
const string = (value: string): SnsMessageAttribute => ({ DataType: 'String', StringValue: value });
const number = (value: string): SnsMessageAttribute => ({ DataType: 'Number', StringValue: value });
const array = (values: unknown[]): SnsMessageAttribute => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(values),
});
const withAttributes = (attributes: Record<string, SnsMessageAttribute>): SnsMessageToFilter => ({
  attributes,
  body: 'x',
});
const withBody = (body: unknown): SnsMessageToFilter => ({
  attributes: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

function attributeMatches(policy: unknown, attributes: Record<string, SnsMessageAttribute>): boolean {
  return compileFilterPolicy(policy).matches(withAttributes(attributes));
}
function bodyMatches(policy: unknown, body: unknown): boolean {
  return compileFilterPolicy(policy, 'MessageBody').matches(withBody(body));
}
function refusal(policy: unknown, scope?: FilterPolicyScope): string {
  try {
    compileFilterPolicy(policy, scope, 'subscription checkout-api');
  } catch (error) {
    expect(error).toBeInstanceOf(FilterPolicyError);
    return (error as Error).message;
  }
  throw new Error('the policy was accepted');
}

describe('String value matching (SNS developer guide)', () => {
  describe('exact matching: "customer_interests": ["rugby", "tennis"]', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };
    it.each([[string('rugby')], [string('tennis')], [array(['rugby', 'tennis'])]])(
      'matches the attribute %j',
      (attribute) => {
        expect(attributeMatches(policy, { customer_interests: attribute })).toBe(true);
      },
    );
    it.each([[string('baseball')], [array(['baseball'])]])('does not match the attribute %j', (attribute) => {
      expect(attributeMatches(policy, { customer_interests: attribute })).toBe(false);
    });
    it('matches the bodies rugby and tennis, not baseball', () => {
      expect(bodyMatches(policy, { customer_interests: 'rugby' })).toBe(true);
      expect(bodyMatches(policy, { customer_interests: 'tennis' })).toBe(true);
      expect(bodyMatches(policy, { customer_interests: 'baseball' })).toBe(false);
    });
    it('is case-sensitive ("String matching – the comparison is case-sensitive")', () => {
      expect(attributeMatches(policy, { customer_interests: string('Rugby') })).toBe(false);
    });
  });

  describe('anything-but matching: [{"anything-but": ["rugby", "tennis"]}]', () => {
    const policy = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
    it('matches baseball and football, as attributes and as bodies', () => {
      for (const sport of ['baseball', 'football']) {
        expect(attributeMatches(policy, { customer_interests: string(sport) })).toBe(true);
        expect(bodyMatches(policy, { customer_interests: sport })).toBe(true);
      }
    });
    it('does not match rugby, nor the body ["rugby"]', () => {
      expect(attributeMatches(policy, { customer_interests: string('rugby') })).toBe(false);
      expect(bodyMatches(policy, { customer_interests: ['rugby'] })).toBe(false);
    });
    it('matches the body ["rugby", "baseball"] (it contains a value that is not rugby or tennis)', () => {
      expect(bodyMatches(policy, { customer_interests: ['rugby', 'baseball'] })).toBe(true);
    });
    it('"For String.Array type attributes, it matches if none of the array elements are listed"', () => {
      expect(attributeMatches(policy, { customer_interests: array(['baseball', 'football']) })).toBe(true);
      expect(attributeMatches(policy, { customer_interests: array(['rugby', 'baseball']) })).toBe(false);
    });
    it('"anything-but can be combined with "exists": false"', () => {
      const orAbsent = { customer_interests: [{ 'anything-but': ['rugby'] }, { exists: false }] };
      expect(attributeMatches(orAbsent, {})).toBe(true);
      expect(attributeMatches(orAbsent, { customer_interests: string('golf') })).toBe(true);
      expect(attributeMatches(orAbsent, { customer_interests: string('rugby') })).toBe(false);
      expect(attributeMatches(policy, {})).toBe(false);
    });
  });

  describe('using a prefix with the anything-but operator: "event":[{"anything-but": {"prefix": "order-"}}]', () => {
    const policy = { event: [{ 'anything-but': { prefix: 'order-' } }] };
    it('matches data-entry and order_number, not order-cancelled', () => {
      for (const [event, expected] of [
        ['data-entry', true],
        ['order_number', true],
        ['order-cancelled', false],
      ] as const) {
        expect(attributeMatches(policy, { event: string(event) })).toBe(expected);
        expect(bodyMatches(policy, { event })).toBe(expected);
      }
    });
  });

  describe('anything-but with a suffix', () => {
    const policy = { event: [{ 'anything-but': { suffix: '-cancelled' } }] };
    it('excludes values ending with the suffix', () => {
      expect(attributeMatches(policy, { event: string('order-placed') })).toBe(true);
      expect(attributeMatches(policy, { event: string('order-cancelled') })).toBe(false);
    });
  });

  describe('prefix matching: "customer_interests": [{"prefix": "bas"}]', () => {
    const policy = { customer_interests: [{ prefix: 'bas' }] };
    it('matches baseball and basketball, not rugby', () => {
      for (const [sport, expected] of [
        ['baseball', true],
        ['basketball', true],
        ['rugby', false],
      ] as const) {
        expect(attributeMatches(policy, { customer_interests: string(sport) })).toBe(expected);
        expect(bodyMatches(policy, { customer_interests: sport })).toBe(expected);
      }
    });
  });

  describe('suffix and equals-ignore-case matching', () => {
    it('suffix matches the end of the value only', () => {
      const policy = { customer_interests: [{ suffix: 'ball' }] };
      expect(attributeMatches(policy, { customer_interests: string('baseball') })).toBe(true);
      expect(attributeMatches(policy, { customer_interests: string('ballet') })).toBe(false);
    });
    it('equals-ignore-case folds case, and only case', () => {
      const policy = { customer_interests: [{ 'equals-ignore-case': 'tennis' }] };
      expect(attributeMatches(policy, { customer_interests: string('TENNIS') })).toBe(true);
      expect(bodyMatches(policy, { customer_interests: 'Tennis' })).toBe(true);
      expect(attributeMatches(policy, { customer_interests: string('tennis!') })).toBe(false);
    });
  });

  describe('IP address matching: "source_ip":[{"cidr": "10.0.0.0/24"}]', () => {
    const policy = { source_ip: [{ cidr: '10.0.0.0/24' }] };
    it('matches 10.0.0.0 and 10.0.0.255, not 10.1.1.0', () => {
      for (const [ip, expected] of [
        ['10.0.0.0', true],
        ['10.0.0.255', true],
        ['10.1.1.0', false],
      ] as const) {
        expect(attributeMatches(policy, { source_ip: string(ip) })).toBe(expected);
        expect(bodyMatches(policy, { source_ip: ip })).toBe(expected);
      }
    });
  });
});

describe('Numeric value matching (SNS developer guide)', () => {
  it('exact matching: [{"numeric": ["=",301.5]}] matches 301.5 and 3.015e2', () => {
    const policy = { price_usd: [{ numeric: ['=', 301.5] }] };
    expect(attributeMatches(policy, { price_usd: number('301.5') })).toBe(true);
    expect(attributeMatches(policy, { price_usd: number('3.015e2') })).toBe(true);
    expect(compileFilterPolicy(policy, 'MessageBody').matches(withBody('{"price_usd": 3.015e2}'))).toBe(true);
    expect(bodyMatches(policy, { price_usd: 301.5 })).toBe(true);
    expect(attributeMatches(policy, { price_usd: number('301.6') })).toBe(false);
  });

  it('compares numbers only with Number attributes, not with the text of a String attribute', () => {
    expect(attributeMatches({ price_usd: [{ numeric: ['=', 301.5] }] }, { price_usd: string('301.5') })).toBe(false);
    expect(attributeMatches({ price_usd: [301.5] }, { price_usd: number('301.50') })).toBe(true);
  });

  it('"five digits of accuracy after the decimal point"', () => {
    const policy = { price_usd: [{ numeric: ['=', 1.00001] }] };
    expect(attributeMatches(policy, { price_usd: number('1.000011') })).toBe(true);
    expect(attributeMatches(policy, { price_usd: number('1.00002') })).toBe(false);
  });

  describe('anything-but matching: "price": [{"anything-but": [100, 500]}]', () => {
    const policy = { price: [{ 'anything-but': [100, 500] }] };
    it('matches 101 and 100.1, not 100', () => {
      for (const [price, expected] of [
        ['101', true],
        ['100.1', true],
        ['100', false],
      ] as const) {
        expect(attributeMatches(policy, { price: number(price) })).toBe(expected);
        expect(bodyMatches(policy, { price: Number(price) })).toBe(expected);
      }
    });
    it('matches the body [100, 50] (it contains a value that is not 100 or 500)', () => {
      // The page shows this as a "Number.Array" attribute, a data type Publish does not accept; the body form stands.
      expect(bodyMatches(policy, { price: [100, 50] })).toBe(true);
    });
  });

  describe('value range matching', () => {
    it('[{"numeric": ["<", 0]}] matches negative numbers only', () => {
      const policy = { price_usd: [{ numeric: ['<', 0] }] };
      expect(attributeMatches(policy, { price_usd: number('-0.5') })).toBe(true);
      expect(attributeMatches(policy, { price_usd: number('0') })).toBe(false);
    });
    it('[{"numeric": [">", 0, "<=", 150]}] matches positive numbers up to and including 150', () => {
      const policy = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
      expect(bodyMatches(policy, { price_usd: 150 })).toBe(true);
      expect(bodyMatches(policy, { price_usd: 0.00001 })).toBe(true);
      expect(bodyMatches(policy, { price_usd: 0 })).toBe(false);
      expect(bodyMatches(policy, { price_usd: 150.00001 })).toBe(false);
      expect(bodyMatches(policy, { price_usd: '100' })).toBe(false);
    });
  });
});

describe('Key matching (SNS developer guide)', () => {
  const withStore = { store: string('fans'), customer_interests: array(['baseball', 'basketball']) };
  const withoutStore = { customer_interests: array(['baseball', 'basketball']) };
  it('"store": [{"exists": true}] matches messages with a store attribute or property only', () => {
    const policy = { store: [{ exists: true }] };
    expect(attributeMatches(policy, withStore)).toBe(true);
    expect(attributeMatches(policy, withoutStore)).toBe(false);
    expect(bodyMatches(policy, { store: 'fans', customer_interests: ['baseball', 'basketball'] })).toBe(true);
    expect(bodyMatches(policy, { customer_interests: ['baseball', 'basketball'] })).toBe(false);
  });
  it('"store": [{"exists": false}] matches messages without one only', () => {
    const policy = { store: [{ exists: false }] };
    expect(attributeMatches(policy, withStore)).toBe(false);
    expect(attributeMatches(policy, withoutStore)).toBe(true);
    expect(bodyMatches(policy, { store: 'fans', customer_interests: ['baseball', 'basketball'] })).toBe(false);
    expect(bodyMatches(policy, { customer_interests: ['baseball', 'basketball'] })).toBe(true);
  });
  it('"Amazon SNS ignores message attributes with the Binary data type": they never match a value', () => {
    const binary: SnsMessageAttribute = { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2) };
    expect(attributeMatches({ store: [{ exists: true }] }, { store: binary })).toBe(false);
    expect(attributeMatches({ store: [{ exists: false }] }, { store: binary })).toBe(true);
    expect(attributeMatches({ store: [{ 'anything-but': 'x' }] }, { store: binary })).toBe(false);
  });
  it('null matches a JSON null in the body, and no absent attribute', () => {
    expect(bodyMatches({ store: [null] }, { store: null })).toBe(true);
    expect(bodyMatches({ store: [null] }, {})).toBe(false);
    expect(attributeMatches({ store: [null, { 'anything-but': 'whatever' }] }, {})).toBe(false);
  });
});

describe('AND/OR logic (SNS developer guide)', () => {
  it('AND logic: rugby and a price above 100', () => {
    const policy = { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] };
    expect(attributeMatches(policy, { customer_interests: string('rugby'), price_usd: number('101') })).toBe(true);
    expect(attributeMatches(policy, { customer_interests: string('rugby'), price_usd: number('100') })).toBe(false);
    expect(attributeMatches(policy, { customer_interests: string('rugby') })).toBe(false);
  });
  it('OR logic: rugby, football or baseball', () => {
    const policy = { customer_interests: ['rugby', 'football', 'baseball'] };
    expect(attributeMatches(policy, { customer_interests: string('football') })).toBe(true);
    expect(attributeMatches(policy, { customer_interests: string('hockey') })).toBe(false);
  });
  describe('OR operator: "source" && ("metricName" || "namespace")', () => {
    const policy = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    };
    it('matches either branch together with source, as attributes and as a body', () => {
      expect(attributeMatches(policy, { source: string('aws.cloudwatch'), namespace: string('AWS/EC2') })).toBe(true);
      expect(bodyMatches(policy, { source: 'aws.cloudwatch', metricName: 'CPUUtilization' })).toBe(true);
      expect(attributeMatches(policy, { source: string('aws.cloudwatch'), namespace: string('AWS/ES') })).toBe(false);
      expect(attributeMatches(policy, { namespace: string('AWS/EC2') })).toBe(false);
    });
    it('nests $or inside a body object', () => {
      const nested = {
        detail: {
          scope: ['Service'],
          $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }],
        },
      };
      expect(bodyMatches(nested, { detail: { scope: 'Service', source: 'aws.cloudwatch' } })).toBe(true);
      expect(bodyMatches(nested, { detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } })).toBe(true);
      expect(bodyMatches(nested, { detail: { scope: 'Service', type: 'CPUUtilization' } })).toBe(false);
      expect(bodyMatches(nested, { detail: { source: 'aws.cloudwatch' } })).toBe(false);
    });
    it('"$or" with fewer than two objects is an ordinary attribute name', () => {
      const literal = { $or: ['x'] };
      expect(attributeMatches(literal, { $or: string('x') })).toBe(true);
      expect(attributeMatches(literal, {})).toBe(false);
    });
  });
});

describe('Example filter policies (SNS developer guide)', () => {
  const attributes = {
    customer_interests: array(['soccer', 'rugby', 'hockey']),
    store: string('example_corp'),
    event: string('order_placed'),
    price_usd: number('210.75'),
  };
  const body = {
    customer_interests: ['soccer', 'rugby', 'hockey'],
    store: 'example_corp',
    event: 'order_placed',
    price_usd: 210.75,
  };
  const accepting = {
    store: ['example_corp'],
    event: [{ 'anything-but': 'order_cancelled' }],
    customer_interests: ['rugby', 'football', 'baseball'],
    price_usd: [{ numeric: ['>=', 100] }],
  };
  const rejecting = {
    store: ['example_corp'],
    event: ['order_cancelled'],
    encrypted: [false],
    customer_interests: ['basketball', 'baseball'],
  };
  it('the accepting policy accepts the message in either scope', () => {
    expect(attributeMatches(accepting, attributes)).toBe(true);
    expect(bodyMatches(accepting, body)).toBe(true);
  });
  it('the rejecting policy rejects it in either scope', () => {
    expect(attributeMatches(rejecting, attributes)).toBe(false);
    expect(bodyMatches(rejecting, body)).toBe(false);
  });
});

describe('Filter policy scope (Amazon SNS message filtering)', () => {
  const policy = { store: ['example_corp'] };
  it('defaults to MessageAttributes: the body is not consulted', () => {
    expect(compileFilterPolicy(policy).matches({ attributes: {}, body: '{"store":"example_corp"}' })).toBe(false);
    expect(compileFilterPolicy(policy).matches({ attributes: { store: string('example_corp') }, body: 'x' })).toBe(
      true,
    );
  });
  it('MessageBody matches the body and ignores attributes', () => {
    const compiled = compileFilterPolicy(policy, 'MessageBody');
    expect(compiled.matches({ attributes: { store: string('example_corp') }, body: '{}' })).toBe(false);
    expect(compiled.matches({ attributes: {}, body: '{"store":"example_corp"}' })).toBe(true);
  });
  it('a body that is not a JSON object never matches a body policy, even one of exists: false', () => {
    const absent = compileFilterPolicy({ store: [{ exists: false }] }, 'MessageBody');
    expect(absent.matches(withBody('Regular string message'))).toBe(false);
    expect(absent.matches(withBody(JSON.stringify('Regular string message')))).toBe(false);
    expect(absent.matches(withBody('{}'))).toBe(true);
  });
  it('nested body keys match nested policy objects, and an array matches if any element matches', () => {
    const s3 = {
      Records: { s3: { object: { key: [{ prefix: 'auto-' }] } }, eventName: [{ prefix: 'ObjectCreated:' }] },
    };
    const record = (eventName: string, key: string) => ({ eventName, s3: { object: { key } } });
    expect(bodyMatches(s3, { Records: [record('ObjectCreated:Put', 'auto-insurance-2314.xml')] })).toBe(true);
    expect(
      bodyMatches(s3, {
        Records: [record('ObjectRemoved:Delete', 'auto-1.xml'), record('ObjectCreated:Put', 'auto-2.xml')],
      }),
    ).toBe(true);
    // Both fields must hold in the same record, not one in each.
    expect(
      bodyMatches(s3, {
        Records: [record('ObjectCreated:Put', 'home-1.xml'), record('ObjectRemoved:Delete', 'auto-1.xml')],
      }),
    ).toBe(false);
    expect(bodyMatches(s3, { Records: { eventName: 'ObjectCreated:Put', s3: { object: 'auto-1.xml' } } })).toBe(false);
  });
  it('an empty policy (how a filter is removed) delivers every message', () => {
    expect(compileFilterPolicy({}).matches(withAttributes({}))).toBe(true);
    expect(compileFilterPolicy('{}', 'MessageBody').matches(withBody('not json'))).toBe(true);
  });
  it('accepts the policy as JSON text, as CloudFormation may hold it', () => {
    expect(
      compileFilterPolicy('{"store":["example_corp"]}').matches(withAttributes({ store: string('example_corp') })),
    ).toBe(true);
  });
});

describe('Filter policy constraints (SNS developer guide)', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `value_${i}`);

  it('accepts the documented 3 x 1 x 2 = 6 combinations and the nested 3 x 4 x 2 x 3 = 72', () => {
    expect(() => compileFilterPolicy({ key_a: values(3), key_b: values(1), key_c: values(2) })).not.toThrow();
    expect(() =>
      compileFilterPolicy({ key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) } }, 'MessageBody'),
    ).not.toThrow();
  });
  it('refuses 151 value combinations, naming where and the limit', () => {
    expect(refusal({ key_a: values(151) })).toMatch(
      /^subscription checkout-api: .*151 value combinations.*at most 150/,
    );
    expect(() => compileFilterPolicy({ key_a: values(150) })).not.toThrow();
    expect(refusal({ key_a: values(3), key_b: values(7), key_c: values(8) })).toMatch(/168 value combinations/);
  });
  it('multiplies nested values by their depth: the 72 policy plus a third key of 3 values is 216', () => {
    const policy = { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) }, key_f: values(3) };
    expect(refusal(policy, 'MessageBody')).toMatch(/216 value combinations/);
  });
  it('adds up the combinations of $or branches', () => {
    // source x (metricName + metricType x (metricId + spaceId)) = 2 x (2 + 1 x (2 + 3)) = 14; x 11 values = 154.
    const policy = {
      source: values(2),
      $or: [
        { metricName: values(2) },
        { metricType: values(1), $or: [{ metricId: values(2) }, { spaceId: values(3) }] },
      ],
    };
    expect(() => compileFilterPolicy(policy)).not.toThrow();
    expect(refusal({ ...policy, region: values(11) })).toMatch(/154 value combinations/);
  });
  it('refuses 6 keys; for a nested policy only parent keys count', () => {
    const six = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['v']]));
    expect(refusal(six)).toMatch(/has 6 keys; a filter policy can have at most 5/);
    expect(refusal(six, 'MessageBody')).toMatch(/has 6 keys/);
    expect(() =>
      compileFilterPolicy({ a: { b: ['v'], c: ['v'], d: ['v'], e: ['v'], f: ['v'], g: ['v'] } }, 'MessageBody'),
    ).not.toThrow();
  });
  it('refuses a policy over 256 KB', () => {
    const ofBytes = (bytes: number) => ({ key: ['x'.repeat(bytes - '{"key":[""]}'.length)] });
    expect(() => compileFilterPolicy(ofBytes(256 * 1024))).not.toThrow();
    expect(refusal(ofBytes(256 * 1024 + 1))).toMatch(
      /the filter policy is 262145 bytes; a filter policy is at most 262144 bytes/,
    );
  });
  it.each([
    [{ price: [{ numeric: ['>', 'zero'] }] }, /"price\[0\]\.numeric\[1\]" must be a number/],
    [{ price: [{ numeric: ['<', 2e9] }] }, /2000000000 is outside SNS numeric matching/],
    [{ price: [{ numeric: ['=', 1.123456] }] }, /more than 5 decimals/],
    [{ price: [{ numeric: ['~', 1] }] }, /unknown numeric operator "~"/],
    [{ price: [{ numeric: ['<', 10, '>', 0] }] }, /a range takes/],
    [{ price: [{ numeric: ['>', 10, '<', 0] }] }, /lower bound 10 must be below its upper bound 0/],
    [{ price: [1e10] }, /outside SNS numeric matching/],
  ])('refuses the bad numeric %j', (policy, message) => {
    expect(refusal(policy)).toMatch(message);
  });
  it.each([
    [{ key: [{ wildcard: 'a*' }] }, /unknown operator "wildcard"/],
    [{ key: [{ regex: 'a.*' }] }, /unknown operator "regex"/],
    [{ key: [{ 'anything-but': { wildcard: 'a*' } }] }, /anything-but" takes values or one of \{ "prefix" \| "suffix"/],
    [{ key: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator, not 2/],
  ])('refuses the unknown operator in %j', (policy, message) => {
    expect(refusal(policy)).toMatch(message);
  });
  it.each([
    [{ key: 'value' }, /"key" must be an object or an array/],
    [{ key: [] }, /"key" is an empty array/],
    [{ key: [['nested']] }, /match values are strings, numbers/],
    [{ key: [{ exists: 'yes' }] }, /exists takes true or false/],
    [{ key: [{ prefix: 5 }] }, /"key\[0\]\.prefix" takes a string/],
    [{ key: [{ cidr: '10.0.0.0/33' }] }, /is not a CIDR block/],
    [{ object: { key: ['v'] } }, /"object" is a nested object; this scope only matches flat keys/],
    [['key'], /must be a JSON object/],
    ['{"key": [', /is not valid JSON/],
  ])('refuses the invalid value types in %j', (policy, message) => {
    expect(refusal(policy)).toMatch(message);
  });
  it('refuses an unknown scope', () => {
    expect(refusal({ key: ['v'] }, 'Body' as FilterPolicyScope)).toMatch(/use MessageAttributes or MessageBody/);
  });
});

describe("ffc's fan-out subscription policy", () => {
  // What packages/constructs/src/fan-out/fan-out-shard.ts synthesises for each service's subscription, matched
  // against the targetServices attribute packages/functions/src/aws/sns-event-publisher.ts publishes.
  const policy = compileFilterPolicy({ targetServices: ['checkout-api', '*'] });
  const targeting = (services: string[]) => withAttributes({ targetServices: array(services) });

  it('delivers a change for every service ("*") and one naming the service', () => {
    expect(policy.matches(targeting(['*']))).toBe(true);
    expect(policy.matches(targeting(['checkout-api', 'search']))).toBe(true);
  });
  it('does not deliver a change for other services only, or one without the attribute', () => {
    expect(policy.matches(targeting(['search', 'checkout-api-v2']))).toBe(false);
    expect(policy.matches(withAttributes({}))).toBe(false);
    expect(policy.matches(withAttributes({ targetServices: string('["checkout-api"]') }))).toBe(false);
  });
});
