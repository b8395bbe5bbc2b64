import { EventPatternError, compileEventPattern } from '../../src/events/event-pattern';

const matches = (pattern: unknown, event: unknown) => compileEventPattern(pattern).matches(event);
function refusal(pattern: unknown): string {
  try {
    compileEventPattern(pattern, 'rule ChangePublished');
  } catch (error) {
    expect(error).toBeInstanceOf(EventPatternError);
    return (error as Error).message;
  }
  throw new Error('the pattern was accepted');
}

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const autoscalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

// The sample event of Event Ruler's README, which the content-filtering examples are written against.
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};
const withDetail = (detail: Record<string, unknown>) => ({
  ...rulerEvent,
  detail: { ...rulerEvent.detail, ...detail },
});

describe('Amazon EventBridge event patterns', () => {
  const terminations = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };
  it('matches the EC2 instance-termination event, ignoring fields the pattern leaves out', () => {
    expect(matches(terminations, ec2Event)).toBe(true);
  });
  it('fails when any field differs or is missing, or the nesting differs', () => {
    expect(matches(terminations, { ...ec2Event, detail: { state: 'running' } })).toBe(false);
    expect(matches(terminations, { ...ec2Event, detail: {} })).toBe(false);
    expect(matches(terminations, { ...ec2Event, detail: undefined, state: 'terminated' })).toBe(false);
  });
  it('compares strings character by character, without case-folding', () => {
    expect(matches({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
  });
  it('match values: "source": ["aws.ec2", "aws.fargate"] matches either', () => {
    expect(matches({ source: ['aws.ec2', 'aws.fargate'] }, ec2Event)).toBe(true);
    expect(matches({ source: ['aws.ec2', 'aws.fargate'] }, { source: 'aws.fargate' })).toBe(true);
    expect(matches({ source: ['aws.ec2', 'aws.fargate'] }, { source: 'aws.s3' })).toBe(false);
  });
  it('field matching: "responseElements": [null] matches the auto scaling event', () => {
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    expect(matches(pattern, autoscalingEvent)).toBe(true);
  });
  it('value matching: a Macie finding with severity score 1 and count 2', () => {
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Finding'],
      detail: { severity: { score: [1] }, count: [2] },
    };
    const finding = {
      source: 'aws.macie',
      'detail-type': 'Macie Finding',
      detail: { severity: { score: 1, description: 'Low' }, count: 2 },
    };
    expect(matches(pattern, finding)).toBe(true);
    expect(matches(pattern, { ...finding, detail: { ...finding.detail, count: 3 } })).toBe(false);
    expect(matches(pattern, { ...finding, detail: { ...finding.detail, count: '2' } })).toBe(false);
  });
});

describe('Matching null values and empty strings in event patterns', () => {
  it('"eventVersion": [""] matches the empty string, "responseElements": [null] matches null', () => {
    expect(matches({ detail: { eventVersion: [''] } }, autoscalingEvent)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, autoscalingEvent)).toBe(true);
  });
  it('"Null values and empty strings are not interchangeable"', () => {
    expect(matches({ detail: { responseElements: [''] } }, autoscalingEvent)).toBe(false);
    expect(matches({ detail: { eventVersion: [null] } }, autoscalingEvent)).toBe(false);
    expect(matches({ detail: { missing: [null] } }, autoscalingEvent)).toBe(false);
  });
});

describe('Arrays in event patterns', () => {
  it('matches if the pattern array and the event array intersect', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { resources: [event.resources[0]] })).toBe(false);
    expect(matches(pattern, { resources: [] })).toBe(false);
  });
  it('objects in an array are matched one at a time (Event Ruler "JSON Array Matching")', () => {
    const employees = {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    };
    expect(matches({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(false);
  });
});

describe('Content filtering in event patterns', () => {
  it('prefix matching: "time" starting with "2017-10-02"', () => {
    expect(matches({ time: [{ prefix: '2017-10-02' }] }, rulerEvent)).toBe(true);
    expect(matches({ time: [{ prefix: '2017-10-03' }] }, rulerEvent)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ prefix: '5' }] } }, rulerEvent)).toBe(false);
  });
  it('prefix and suffix with equals-ignore-case (Event Ruler)', () => {
    expect(matches({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, rulerEvent)).toBe(true);
    expect(matches({ source: [{ suffix: { 'equals-ignore-case': 'EC2' } }] }, rulerEvent)).toBe(true);
    expect(matches({ source: [{ suffix: 'EC2' }] }, rulerEvent)).toBe(false);
  });
  it('suffix matching: "FileName" ending with ".png"', () => {
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'logo.png' })).toBe(true);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'logo.png.gz' })).toBe(false);
  });
  describe('anything-but matching', () => {
    it('a string: "state" anything but "initializing"', () => {
      const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
      expect(matches(pattern, rulerEvent)).toBe(true);
      expect(matches(pattern, withDetail({ state: 'initializing' }))).toBe(false);
      expect(matches(pattern, withDetail({ state: undefined }))).toBe(false);
    });
    it('a number: "x-limit" anything but 123', () => {
      const pattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
      expect(matches(pattern, rulerEvent)).toBe(true);
      expect(matches(pattern, withDetail({ 'x-limit': 123 }))).toBe(false);
    });
    it('lists of strings and of numbers', () => {
      const states = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
      expect(matches(states, rulerEvent)).toBe(true);
      expect(matches(states, withDetail({ state: 'overloaded' }))).toBe(false);
      const limits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
      expect(matches(limits, rulerEvent)).toBe(true);
      expect(matches(limits, withDetail({ 'x-limit': 200 }))).toBe(false);
    });
    it('a prefix: "state" not starting with "init"', () => {
      const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
      expect(matches(pattern, rulerEvent)).toBe(true);
      expect(matches(pattern, withDetail({ state: 'initializing' }))).toBe(false);
    });
    it('suffix, equals-ignore-case and wildcard, single or listed (Event Ruler)', () => {
      expect(matches({ detail: { 'instance-id': [{ 'anything-but': { suffix: '1234' } }] } }, rulerEvent)).toBe(true);
      expect(
        matches({ detail: { 'instance-id': [{ 'anything-but': { suffix: ['1234', '00000'] } }] } }, rulerEvent),
      ).toBe(false);
      expect(
        matches(
          { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'RUNNING'] } }] } },
          rulerEvent,
        ),
      ).toBe(false);
      expect(
        matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] } }, rulerEvent),
      ).toBe(true);
      expect(matches({ detail: { state: [{ 'anything-but': { wildcard: 'run*' } }] } }, rulerEvent)).toBe(false);
      expect(
        matches({ detail: { state: [{ 'anything-but': { wildcard: ['*/bin/*.jar', 'stop*'] } }] } }, rulerEvent),
      ).toBe(true);
    });
  });
  describe('numeric matching', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    it('matches only if every field holds', () => {
      expect(matches(pattern, rulerEvent)).toBe(true);
      expect(matches(pattern, withDetail({ 'c-count': 6 }))).toBe(false);
      expect(matches(pattern, withDetail({ 'c-count': 0 }))).toBe(false);
      expect(matches(pattern, withDetail({ 'd-count': 10 }))).toBe(false);
      expect(matches(pattern, withDetail({ 'x-limit': 301.9 }))).toBe(false);
    });
    it('works only with values that are JSON numbers', () => {
      expect(matches(pattern, withDetail({ 'c-count': '5' }))).toBe(false);
    });
  });
  it('IP address matching: "sourceIPAddress" in 10.0.0.0/24, and IPv6', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matches(pattern, { detail: { sourceIPAddress: '10.0.0.255' } })).toBe(true);
    expect(matches(pattern, { detail: { sourceIPAddress: '10.0.1.0' } })).toBe(false);
    expect(matches(pattern, { detail: { sourceIPAddress: 'not an address' } })).toBe(false);
    const v6 = { ip: [{ cidr: '2001:db8::/32' }] };
    expect(matches(v6, { ip: '2001:db8:85a3::8a2e:370:7334' })).toBe(true);
    expect(matches(v6, { ip: '2001:db9::1' })).toBe(false);
    expect(matches(v6, { ip: '10.0.0.1' })).toBe(false);
  });
  describe('exists matching', () => {
    it('"state": [{"exists": true}] matches an event with detail.state, not one without', () => {
      const pattern = { detail: { state: [{ exists: true }] } };
      const pending = {
        'detail-type': 'EC2 Instance State-change Notification',
        source: 'aws.ec2',
        detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
      };
      const noState = {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
        detail: { 'c-count': { c1: 100 } },
      };
      expect(matches(pattern, pending)).toBe(true);
      expect(matches(pattern, noState)).toBe(false);
    });
    it('"Exists matching only works on leaf nodes": an object-valued field does not exist', () => {
      const objectCount = { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } };
      expect(matches({ detail: { 'c-count': [{ exists: false }] } }, objectCount)).toBe(true);
      expect(matches({ detail: { 'c-count': [{ exists: true }] } }, objectCount)).toBe(false);
      expect(matches({ detail: { 'c-count': [{ exists: false }] } }, rulerEvent)).toBe(false);
      expect(matches({ detail: { missing: [{ exists: false }] } }, {})).toBe(true);
    });
  });
  it('equals-ignore-case: "detail-type" regardless of case', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { 'c-count': { c1: 100 } },
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { 'detail-type': 'EC2 Instance Launch Successful' })).toBe(false);
  });
  it('wildcard matching (Event Ruler): "Simple*Service", with \\* for a literal asterisk', () => {
    expect(matches({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleNotificationService' })).toBe(true);
    expect(matches({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleService' })).toBe(true);
    expect(matches({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleServices' })).toBe(false);
    expect(matches({ source: [{ wildcard: 'a\\*b' }] }, { source: 'a*b' })).toBe(true);
    expect(matches({ source: [{ wildcard: 'a\\*b' }] }, { source: 'axb' })).toBe(false);
    expect(matches({ source: [{ wildcard: 'a.b' }] }, { source: 'axb' })).toBe(false);
  });
  it('complex example with multiple matching', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    expect(matches(pattern, rulerEvent)).toBe(true);
    expect(matches(pattern, withDetail({ 'x-limit': 300 }))).toBe(false);
  });
  it('"if you include a key more than once the last reference will be the one used"', () => {
    const pattern = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    expect(matches(pattern, { detail: { location: 'eu-west' } })).toBe(true);
    expect(matches(pattern, { detail: { location: 'us-east' } })).toBe(false);
  });
  describe('complex example with $or matching', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    it('matches if any branch matches', () => {
      expect(matches(pattern, { detail: { 'c-count': 9, 'd-count': 3 } })).toBe(true);
      expect(matches(pattern, { detail: { 'x-limit': 301.8 } })).toBe(true);
      expect(matches(pattern, { detail: { 'c-count': 9, 'd-count': 10, 'x-limit': 1 } })).toBe(false);
    });
    it('"source" && ("metricName" || ("metricType" && "namespace" && ("metricId" || "spaceId")) || "scope") (Event Ruler)', () => {
      const nested = {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency'] },
          {
            metricType: ['MetricType'],
            namespace: ['AWS/EC2', 'AWS/ES'],
            $or: [{ metricId: [1234] }, { spaceId: [1000] }],
          },
          { scope: ['Service'] },
        ],
      };
      const cloudwatch = { source: 'aws.cloudwatch' };
      expect(matches(nested, { ...cloudwatch, scope: 'Service' })).toBe(true);
      expect(matches(nested, { ...cloudwatch, metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 })).toBe(
        true,
      );
      expect(matches(nested, { ...cloudwatch, metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(false);
      expect(matches(nested, { source: 'aws.ec2', scope: 'Service' })).toBe(false);
    });
    it('"$or" holding reserved keywords is an ordinary field name (Event Ruler)', () => {
      const literal = { $or: [{ numeric: ['>', 1] }, { prefix: 'abc' }] };
      expect(matches(literal, { $or: 'abcd' })).toBe(true);
      expect(matches(literal, { x: 'abcd' })).toBe(false);
    });
    it('refuses over 1000 rule combinations: the $or arguments multiply', () => {
      const or = (n: number) => Array.from({ length: n }, (_, i) => ({ [`f${i}`]: ['v'] }));
      expect(() => compileEventPattern({ a: { $or: or(10) }, b: { $or: or(10) }, c: { $or: or(10) } })).not.toThrow();
      expect(refusal({ a: { $or: or(10) }, b: { $or: or(10) }, c: { $or: or(11) } })).toMatch(
        /^rule ChangePublished: the event pattern expands into 1100 rule combinations through \$or; EventBridge allows 1000/,
      );
    });
  });
});

describe('event patterns EventBridge refuses', () => {
  it.each([
    [{ source: 'aws.ec2' }, /"source" must be an object or an array of values/],
    [{ detail: { state: 'running' } }, /"detail\.state" must be an object or an array/],
    [{ source: [] }, /"source" is an empty array/],
    [['aws.ec2'], /the event pattern must be a JSON object/],
    [null, /the event pattern must be a JSON object/],
    ['{"source": ', /is not valid JSON/],
    [{ source: [{ regex: 'aws.*' }] }, /unknown operator "regex"/],
    [{ source: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    [{ source: [{ wildcard: 'a**' }] }, /consecutive \* wildcards/],
    [{ source: [{ wildcard: 'a\\b' }] }, /a backslash may only escape/],
    [{ n: [{ numeric: ['>', 6e9] }] }, /outside the range EventBridge numeric matching supports/],
    [{ n: [{ numeric: ['>', '1'] }] }, /must be a number/],
    [{ n: [{ 'anything-but': [1, 'one'] }] }, /lists only strings or only numbers/],
    [{ n: [{ exists: 1 }] }, /exists takes true or false/],
    [{ ip: [{ cidr: '10.0.0/8' }] }, /not a CIDR block/],
  ])('refuses %j', (pattern, message) => {
    expect(refusal(pattern)).toMatch(message);
  });
});

describe("ffc's change-published rule", () => {
  // The rule packages/constructs/src/verification/verification.ts synthesises (CDK writes detailType as "detail-type").
  const rule = compileEventPattern({ source: ['ffc.validator'], 'detail-type': ['flag-change-published'] });
  // What EventBridge delivers for the PutEvents entry packages/functions/src/aws/sns-event-publisher.ts sends.
  const published = (source: string, detailType: string) => ({
    version: '0',
    id: '0f2b0a7e-6b0c-4b8e-9a3c-0c2a1c9b8d11',
    'detail-type': detailType,
    source,
    account: '000000000000',
    time: '2026-12-01T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      flagKey: 'checkout-v2',
      version: 7,
      kind: 'boolean',
      services: ['checkout-api', 'search'],
      region: 'eu-west-1',
      correlationId: 'c-123',
    },
  });

  it("routes the validator's flag-change-published event to the verification queue", () => {
    expect(rule.matches(published('ffc.validator', 'flag-change-published'))).toBe(true);
  });
  it('ignores other sources and detail types', () => {
    expect(rule.matches(published('ffc.cli', 'flag-change-published'))).toBe(false);
    expect(rule.matches(published('ffc.validator', 'flag-change-rejected'))).toBe(false);
  });
  it('can narrow on the detail fields the event carries', () => {
    const regional = compileEventPattern({
      source: ['ffc.validator'],
      detail: { region: ['eu-west-1'], services: ['checkout-api'], version: [{ numeric: ['>', 6] }] },
    });
    expect(regional.matches(published('ffc.validator', 'flag-change-published'))).toBe(true);
    const elsewhere = published('ffc.validator', 'flag-change-published');
    expect(regional.matches({ ...elsewhere, detail: { ...elsewhere.detail, region: 'us-east-1' } })).toBe(false);
  });
});
