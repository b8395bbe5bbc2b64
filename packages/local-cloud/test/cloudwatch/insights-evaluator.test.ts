import { flagActiveRecord, flagAppliedRecord } from '@ffc/cache';
import { evaluateInsightsQuery, parseInsightsQuery, QueryableLogEvent, ResultRow } from '../../src/cloudwatch';

const GROUP = '/aws/lambda/ffc-dev-cache-updater';
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

/** One event per message, a second apart, in the order given. */
function events(messages: readonly (string | object)[], logGroupName = GROUP): QueryableLogEvent[] {
  return messages.map((message, i) => ({
    timestamp: T0 + i * 1000,
    message: typeof message === 'string' ? message : JSON.stringify(message),
    logStreamName: '2026/12/01/[$LATEST]abc',
    ingestionTime: T0 + i * 1000 + 50,
    logGroupName,
  }));
}

function run(query: string, input: readonly QueryableLogEvent[]): ResultRow[] {
  return evaluateInsightsQuery(parseInsightsQuery(query), input);
}

/** Rows as plain objects, to compare without depending on field order. */
function objects(rows: readonly ResultRow[]): Array<Record<string, string>> {
  return rows.map((row) => Object.fromEntries(row.map(({ field, value }) => [field, value])));
}

const applied = (service: string, flagKey: string, version: number, storedVersion: number) =>
  flagAppliedRecord({
    flagKey,
    version,
    service,
    region: 'eu-west-1',
    stage: 'dev',
    outcome: storedVersion > version ? 'stale' : 'applied',
    storedVersion,
  });

describe('evaluateInsightsQuery: the project query over cache-updater lines', () => {
  const lines = events([
    applied('checkout', 'a-flag', 3, 3),
    applied('checkout', 'a-flag', 4, 4),
    applied('checkout', 'a-flag', 2, 4), // a stale redelivery: the service already held 4
    applied('search', 'a-flag', 9, 9),
    applied('search', 'a-flag', 10, 10), // 10 > 9 only when compared as numbers
    applied('checkout', 'b-flag', 1, 1),
    applied('checkout', 'c-flag', 5, 5), // not asked for
    flagActiveRecord({
      flagKey: 'a-flag',
      version: 99,
      service: 'checkout',
      region: 'eu-west-1',
      stage: 'dev',
      instanceId: 'i-1',
      activeAt: '2026-12-01T12:00:00Z',
    }), // another event
    'START RequestId: 8f5 Version: $LATEST',
    // Lambda's text prefix before the JSON: the first embedded JSON object is discovered.
    `2026-12-01T12:00:09.000Z\t8f5\tINFO\t${JSON.stringify(applied('payments', 'b-flag', 7, 7))}`,
  ]);

  test('max(storedVersion) per service and flag, hand-computed', () => {
    const rows = run(
      'fields service, flagKey, storedVersion | filter event = "flag_applied" and flagKey in ["a-flag", "b-flag"] ' +
        '| stats max(storedVersion) as version by service, flagKey',
      lines,
    );
    const byKey = (r: Record<string, string>) => `${r.service}/${r.flagKey}`;
    expect(objects(rows).sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual([
      { service: 'checkout', flagKey: 'a-flag', version: '4' },
      { service: 'checkout', flagKey: 'b-flag', version: '1' },
      { service: 'payments', flagKey: 'b-flag', version: '7' },
      { service: 'search', flagKey: 'a-flag', version: '10' },
    ]);
    // stats output only, group-by fields first: no storedVersion, no @timestamp.
    expect(rows[0].map((cell) => cell.field)).toEqual(['service', 'flagKey', 'version']);
  });
});

describe('evaluateInsightsQuery: discovered and system fields', () => {
  test('nested JSON keys join with dots, array items by index (documented CloudTrail example)', () => {
    const cloudTrail = {
      eventVersion: '1.0',
      userIdentity: { type: 'IAMUser', userName: 'Alice' },
      requestParameters: { instancesSet: { items: [{ instanceId: 'i-abcde123' }] } },
      responseElements: { instancesSet: { items: [{ currentState: { code: 0, name: 'pending' } }] } },
    };
    expect(
      objects(
        run(
          'fields userIdentity.type, requestParameters.instancesSet.items.0.instanceId, ' +
            'responseElements.instancesSet.items.0.currentState.code',
          events([cloudTrail]),
        ),
      ),
    ).toEqual([
      {
        'userIdentity.type': 'IAMUser',
        'requestParameters.instancesSet.items.0.instanceId': 'i-abcde123',
        'responseElements.instancesSet.items.0.currentState.code': '0',
      },
    ]);
  });

  test('a logged key starting with @ is shown with another @ (documented: @example.com → @@example.com)', () => {
    expect(objects(run('fields `@@example.com`, @message', events([{ '@example.com': 'x' }])))).toEqual([
      { '@@example.com': 'x', '@message': '{"@example.com":"x"}' },
    ]);
  });

  test('@timestamp, @ingestionTime, @logStream and @log (account-id:log-group-name)', () => {
    expect(objects(run('fields @timestamp, @ingestionTime, @logStream, @log', events(['plain text'])))).toEqual([
      {
        '@timestamp': '2026-12-01 12:00:00.000',
        '@ingestionTime': '2026-12-01 12:00:00.050',
        '@logStream': '2026/12/01/[$LATEST]abc',
        '@log': `000000000000:${GROUP}`,
      },
    ]);
  });

  test('without fields or display: @timestamp and @message, newest first', () => {
    expect(objects(run('filter n > 0', events([{ n: 1 }, { n: 2 }])))).toEqual([
      { '@timestamp': '2026-12-01 12:00:01.000', '@message': '{"n":2}' },
      { '@timestamp': '2026-12-01 12:00:00.000', '@message': '{"n":1}' },
    ]);
  });

  test('JSON followed by text is still discovered; booleans read as true/false; a non-object has no fields', () => {
    const rows = run('fields ok, n', events(['{"ok":true,"n":null} (retried)', '[1, 2]', '{"ok": false']));
    expect(objects(rows)).toEqual([{}, {}, { ok: 'true' }]);
  });

  test('a field an event lacks is left out of that row', () => {
    expect(objects(run('fields a, b', events([{ a: 1 }, { a: 2, b: 'x' }])))).toEqual([{ a: '2', b: 'x' }, { a: '1' }]);
  });
});

describe('evaluateInsightsQuery: filter', () => {
  const ids = (query: string, input: readonly object[]) =>
    objects(run(`${query} | fields id | sort id asc`, events(input))).map((r) => r.id);

  test('numbers compare as numbers: 10 > 9, and the documented accountId=123456789012 matches its string', () => {
    const input = [
      { id: 'a', range: 10, accountId: '123456789012' },
      { id: 'b', range: 9, accountId: '123456789012' },
      { id: 'c', range: 3001, accountId: '999' },
    ];
    expect(ids('filter range > 9', input)).toEqual(['a', 'c']);
    expect(ids('filter (range>3000 or accountId=123456789012)', input)).toEqual(['a', 'b', 'c']);
    expect(ids('filter range <= 10 and range >= 10', input)).toEqual(['a']);
  });

  test('two strings compare as strings ("007" is not "7"; "10" < "9")', () => {
    const input = [
      { id: 'a', code: '007' },
      { id: 'b', code: '10' },
    ];
    expect(ids('filter code = "7"', input)).toEqual([]);
    expect(ids('filter code < "9"', input)).toEqual(['a', 'b']);
  });

  test('in and not in (documented: statusCode in [300,400,500]; Type not in ["foo","bar",1])', () => {
    const input = [
      { id: 'a', statusCode: 300, Type: 'foo' },
      { id: 'b', statusCode: '400', Type: 'baz' },
      { id: 'c', statusCode: 404, Type: 1 },
      { id: 'd', statusCode: 500 },
    ];
    expect(ids('filter statusCode in [300,400,500]', input)).toEqual(['a', 'b', 'd']);
    expect(ids('filter Type not in ["foo","bar",1]', input)).toEqual(['b']);
  });

  test('like/=~ with a substring or a /regex/, case-sensitive unless (?i) (documented examples)', () => {
    const input = [
      { id: 'a', f1: 'java.lang.Exception: boom', statusCode: 204 },
      { id: 'b', f1: 'an exception', statusCode: 301 },
      { id: 'c', f1: 'Exception', statusCode: 250 },
      { id: 'd', f1: 'fine' },
    ];
    expect(ids('filter f1 like "Exception"', input)).toEqual(['a', 'c']);
    expect(ids('filter f1 =~ /Exception/', input)).toEqual(['a', 'c']);
    expect(ids('filter f1 like /(?i)Exception/', input)).toEqual(['a', 'b', 'c']);
    expect(ids('filter f1 =~ /^(?i)Exception$/', input)).toEqual(['c']);
    expect(ids('filter f1 not like "Exception"', input)).toEqual(['b', 'd']);
    expect(ids('filter statusCode like /2\\d\\d/', input)).toEqual(['a', 'c']);
  });

  test('and binds tighter than or; parentheses and not change it', () => {
    const input = [
      { id: 'a', x: 1, y: 0, z: 0 },
      { id: 'b', x: 0, y: 1, z: 1 },
      { id: 'c', x: 0, y: 1, z: 0 },
    ];
    expect(ids('filter x = 1 or y = 1 and z = 1', input)).toEqual(['a', 'b']);
    expect(ids('filter (x = 1 or y = 1) and z = 0', input)).toEqual(['a', 'c']);
    expect(ids('filter not (x = 1 or z = 1)', input)).toEqual(['c']);
  });

  test('a comparison with a missing field is false, != included', () => {
    expect(ids('filter missing != 1', [{ id: 'a' }])).toEqual([]);
    expect(ids('filter not missing = 1', [{ id: 'a' }])).toEqual(['a']);
  });

  test('@timestamp compares as epoch milliseconds', () => {
    expect(ids(`filter @timestamp >= ${T0 + 1000}`, [{ id: 'a' }, { id: 'b' }])).toEqual(['b']);
  });
});

describe('evaluateInsightsQuery: stats, sort, limit, display', () => {
  const input = events([
    { service: 'checkout', ms: 10, user: 'u1' },
    { service: 'checkout', ms: 30, user: 'u2' },
    { service: 'checkout', user: 'u1' },
    { service: 'search', ms: 5, user: 'u3' },
  ]);

  test('count(*), count(field), count_distinct, min, max, sum, avg by a field, hand-computed', () => {
    const rows = run(
      'stats count(*), count(ms) as timed, count_distinct(user) as users, min(ms), max(ms), sum(ms), avg(ms) ' +
        'by service | sort service asc',
      input,
    );
    expect(rows).toEqual([
      [
        { field: 'service', value: 'checkout' },
        { field: 'count(*)', value: '3' },
        { field: 'timed', value: '2' },
        { field: 'users', value: '2' },
        { field: 'min(ms)', value: '10' },
        { field: 'max(ms)', value: '30' },
        { field: 'sum(ms)', value: '40' },
        { field: 'avg(ms)', value: '20' },
      ],
      [
        { field: 'service', value: 'search' },
        { field: 'count(*)', value: '1' },
        { field: 'timed', value: '1' },
        { field: 'users', value: '1' },
        { field: 'min(ms)', value: '5' },
        { field: 'max(ms)', value: '5' },
        { field: 'sum(ms)', value: '5' },
        { field: 'avg(ms)', value: '5' },
      ],
    ]);
  });

  test('max over text compares as text; over no values the aggregate is left out', () => {
    expect(run('stats max(user) as top, max(nothing) as none', input)).toEqual([[{ field: 'top', value: 'u3' }]]);
  });

  test('stats without by over no events answers count 0', () => {
    expect(run('filter service = "none" | stats count(*)', input)).toEqual([[{ field: 'count(*)', value: '0' }]]);
  });

  test('documented: stats avg(f1) as myAvgF1 | sort myAvgF1 desc', () => {
    const rows = run(
      'stats avg(f1) as myAvgF1 by g | sort myAvgF1 desc',
      events([
        { g: 'a', f1: 1 },
        { g: 'b', f1: 4 },
        { g: 'b', f1: 5 },
        { g: 'c', f1: 2 },
      ]),
    );
    expect(objects(rows)).toEqual([
      { g: 'b', myAvgF1: '4.5' },
      { g: 'c', myAvgF1: '2' },
      { g: 'a', myAvgF1: '1' },
    ]);
  });

  test('sort asc/desc by several keys, rows without the field last; limit after sort', () => {
    const rows = run('fields service, ms | sort service desc, ms asc | limit 3', input);
    expect(objects(rows)).toEqual([
      { service: 'search', ms: '5' },
      { service: 'checkout', ms: '10' },
      { service: 'checkout', ms: '30' },
    ]);
    expect(objects(run('fields ms | sort ms desc', input)).map((r) => r.ms)).toEqual(['30', '10', '5', undefined]);
  });

  test('fields ... as renames; the last display decides what is shown (documented)', () => {
    expect(objects(run('fields service as svc, user | display user | display svc | limit 1', input))).toEqual([
      { svc: 'search' },
    ]);
  });

  test('fields do not restrict what a later filter can read (the project query filters on `event`)', () => {
    expect(objects(run('fields user | filter service = "search"', input))).toEqual([{ user: 'u3' }]);
  });

  test('commands run in the order written: limit before filter is not filter before limit', () => {
    // Newest first: the newest event is search, so `limit 1` keeps only it and the filter then drops it.
    expect(run('limit 1 | filter service = "checkout" | fields user', input)).toEqual([]);
    expect(objects(run('filter service = "checkout" | limit 1 | fields user', input))).toEqual([{ user: 'u1' }]);
  });
});
