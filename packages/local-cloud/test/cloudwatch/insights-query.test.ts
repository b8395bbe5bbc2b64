import { parseInsightsQuery } from '../../src/cloudwatch';

/** The query `appliedVersionsQuery(['b-flag', 'a-flag'])` builds (packages/functions/src/verification/applied-query.ts). */
const PROJECT_QUERY =
  'fields service, flagKey, storedVersion | filter event = "flag_applied" and flagKey in ["a-flag", "b-flag"] ' +
  '| stats max(storedVersion) as version by service, flagKey';

describe('parseInsightsQuery: the project query', () => {
  test('parses into fields, filter (= and in), stats max ... as ... by', () => {
    expect(parseInsightsQuery(PROJECT_QUERY).commands).toEqual([
      {
        kind: 'fields',
        fields: [
          { field: 'service', as: 'service' },
          { field: 'flagKey', as: 'flagKey' },
          { field: 'storedVersion', as: 'storedVersion' },
        ],
      },
      {
        kind: 'filter',
        condition: {
          kind: 'and',
          left: {
            kind: 'compare',
            operator: '=',
            left: { kind: 'field', name: 'event' },
            right: { kind: 'string', value: 'flag_applied' },
          },
          right: {
            kind: 'in',
            operand: { kind: 'field', name: 'flagKey' },
            values: [
              { kind: 'string', value: 'a-flag' },
              { kind: 'string', value: 'b-flag' },
            ],
            negated: false,
          },
        },
      },
      {
        kind: 'stats',
        aggregates: [{ fn: 'max', field: 'storedVersion', as: 'version' }],
        by: [
          { field: 'service', as: 'service' },
          { field: 'flagKey', as: 'flagKey' },
        ],
      },
    ]);
  });
});

describe('parseInsightsQuery: documented examples', () => {
  // Each from the CloudWatch Logs Insights query syntax pages (CWL_QuerySyntax.html, CWL_QuerySyntax-Filter.html).
  test.each([
    'fields @timestamp, @message | filter (range>3000) | sort @timestamp desc | limit 20',
    'fields @timestamp, @message | filter (range>3000 and accountId=123456789012) | sort @timestamp desc | limit 20',
    'fields f1, f2 | filter (f1=10 or f3>25)',
    'fields f1 | filter statusCode like /2\\d\\d/',
    'fields f1 | filter statusCode not like /2\\d\\d/',
    'fields @timestamp, @message\n| filter statusCode in [300,400,500]',
    'fields @timestamp, @message\n| filter Type not in ["foo","bar",1]',
    'fields @timestamp, @message\n| filter logGroup in ["example_group"]',
    'fields f1, f2, f3 \n| filter f1 like "Exception"',
    'fields f1, f2, f3 \n| filter f1 =~ /Exception/',
    'fields f1, f2, f3\n| filter f1 like /ServiceLog./',
    'fields f1, f2, f3 \n| filter f1 not like "Exception"',
    'fields f1, f2, f3 | filter f1 like /(?i)Exception/ ',
    'fields f1, f2, f3 | filter f1 =~ /^(?i)Exception$/',
    'stats avg(f1) as myAvgF1 | sort myAvgF1 desc',
    'stats avg (f1) by f2',
    'stats count(*) by duration as time \n| sort time desc',
    'fields @timestamp, @message, accountId as ID\n| sort @timestamp desc\n| limit 20',
    'fields @timestamp, @message\n    # | filter @message like /delay/\n    | limit 20',
    'sort @timestamp desc | limit 25 | display f1, f2',
    'filter (duration>2000)',
    'fields `foo-bar`, action',
  ])('%s', (query) => {
    expect(() => parseInsightsQuery(query)).not.toThrow();
  });

  test('a comment line drops the command on it (documented: "the second line of the query is ignored")', () => {
    const query = parseInsightsQuery(
      'fields @timestamp, @message\n    # | filter @message like /delay/\n    | limit 20',
    );
    expect(query.commands.map((c) => c.kind)).toEqual(['fields', 'limit']);
  });

  test('aggregates without an alias are named as written; `by x as y` renames the group field', () => {
    expect(parseInsightsQuery('stats count(*), avg (f1), count(`foo-bar`) by duration as time').commands).toEqual([
      {
        kind: 'stats',
        aggregates: [
          { fn: 'count', field: undefined, as: 'count(*)' },
          { fn: 'avg', field: 'f1', as: 'avg(f1)' },
          { fn: 'count', field: 'foo-bar', as: 'count(`foo-bar`)' },
        ],
        by: [{ field: 'duration', as: 'time' }],
      },
    ]);
  });

  test('and binds tighter than or; not applies to the condition that follows', () => {
    const [filter] = parseInsightsQuery('filter not a = 1 or b = 2 and c = 3').commands;
    expect(filter).toMatchObject({
      condition: {
        kind: 'or',
        left: { kind: 'not', condition: { kind: 'compare', left: { name: 'a' } } },
        right: { kind: 'and', left: { left: { name: 'b' } }, right: { left: { name: 'c' } } },
      },
    });
  });

  test('(?i) becomes the case-insensitive flag; \\/ is a slash in the pattern', () => {
    const [filter] = parseInsightsQuery('filter f1 =~ /^(?i)Exception$/ and path like /a\\/b/').commands;
    expect(filter).toMatchObject({
      condition: { left: { pattern: /^Exception$/i }, right: { pattern: /a\/b/ } },
    });
  });

  test('commands and keywords are case-insensitive; `sort desc` sorts by @timestamp', () => {
    expect(parseInsightsQuery('FIELDS a | Filter a IN [1] AND a LIKE "x" | SORT DESC').commands[2]).toEqual({
      kind: 'sort',
      keys: [{ field: '@timestamp', descending: true }],
    });
  });

  test('negative numbers are literals', () => {
    expect(parseInsightsQuery('filter delta > -5').commands[0]).toMatchObject({
      condition: { right: { kind: 'number', value: -5 } },
    });
  });
});

describe('parseInsightsQuery: refusals name what is unsupported', () => {
  test.each([
    ['fields @message | parse @message "[*] *" as level, text', "'parse' command"],
    ['fields @message | dedup service', "'dedup' command"],
    ['filter @message like /ERROR/ | pattern @message', "'pattern' command"],
    ['fields @timestamp | unmask(@message)', "'unmask' command"],
    ['SOURCE logGroups(namePrefix: ["/aws/lambda"]) | fields @message', 'SOURCE'],
    ['fields abs(f3-f4)', "function 'abs()'"],
    ['filter ispresent(service)', "function 'ispresent()'"],
    ['stats count(*) by bin(1h)', "function 'bin()'"],
    ['stats pct(latency, 95)', "aggregate function 'pct'"],
    ['stats stddev(latency)', "aggregate function 'stddev'"],
    ['filter a + 1 > 2', 'arithmetic'],
    ['fields @message | limit any 1', "'limit any'"],
    ['fields @message | frobnicate', "unknown command 'frobnicate'"],
    ['', 'empty command'],
    ['fields a |', 'empty command'],
    ['filter a == 1', "'=='"],
    ['filter a = "unterminated', 'unterminated string'],
    ['filter a like /(unclosed/', 'invalid regular expression'],
    ['filter a not = 1', "'not' after a value"],
    ['limit 0', 'positive whole number'],
    ['filter a in [b]', "'in' lists take string and number literals"],
  ])('%s', (query, named) => {
    let thrown: unknown;
    try {
      parseInsightsQuery(query);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'MalformedQueryException' });
    expect((thrown as Error).message).toContain(named);
  });
});
