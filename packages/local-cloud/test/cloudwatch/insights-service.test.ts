import { InsightsService, LogStore, StartQueryRequest } from '../../src/cloudwatch';

const GROUP = '/aws/lambda/ffc-dev-cache-updater';
const START = 1_764_590_400; // epoch seconds
const COUNT_QUERY = 'stats count(*) as n';

function setUp(options: { maxConcurrentQueries?: number; executionDelayMs?: number } = {}) {
  const store = new LogStore();
  store.createGroup(GROUP);
  const service = new InsightsService({ store, executionDelayMs: 100, ...options });
  const start = (request: Partial<StartQueryRequest> = {}) =>
    service.startQuery({
      logGroupNames: [GROUP],
      queryString: COUNT_QUERY,
      startTime: START,
      endTime: START + 60,
      ...request,
    });
  return { store, service, start };
}

function errorOf(action: () => unknown): Error | undefined {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

describe('InsightsService: a query is Scheduled, Running, then Complete', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('status progresses and results appear only at completion, with statistics', () => {
    const { store, service, start } = setUp();
    store.append(GROUP, [
      { timestamp: START * 1000, message: '{"event":"flag_applied","service":"checkout"}' },
      { timestamp: START * 1000 + 1, message: '{"event":"other"}' },
    ]);
    const { queryId } = start({ queryString: 'filter event = "flag_applied" | fields service' });
    expect(service.getQueryResults({ queryId })).toEqual({
      status: 'Scheduled',
      results: [],
      statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
    });
    jest.advanceTimersByTime(1);
    expect(service.getQueryResults({ queryId }).status).toBe('Running');
    jest.advanceTimersByTime(98);
    expect(service.getQueryResults({ queryId }).status).toBe('Running');
    jest.advanceTimersByTime(1);
    expect(service.getQueryResults({ queryId })).toEqual({
      status: 'Complete',
      results: [[{ field: 'service', value: 'checkout' }]],
      // 45 + 17 bytes of messages in range; one passed the filter.
      statistics: { recordsMatched: 1, recordsScanned: 2, bytesScanned: 62 },
    });
    // Kept for later reads.
    jest.advanceTimersByTime(60_000);
    expect(service.getQueryResults({ queryId }).results).toEqual([[{ field: 'service', value: 'checkout' }]]);
    service.close();
  });

  test('evaluated at completion: lines logged after StartQuery but before completion are counted', () => {
    const { store, service, start } = setUp();
    const { queryId } = start();
    store.append(GROUP, [{ timestamp: START * 1000 + 5, message: 'late but in time' }]);
    jest.advanceTimersByTime(100);
    store.append(GROUP, [{ timestamp: START * 1000 + 6, message: 'after completion' }]);
    expect(service.getQueryResults({ queryId }).results).toEqual([[{ field: 'n', value: '1' }]]);
    service.close();
  });

  test('the time range is whole seconds, both ends inclusive', () => {
    const { store, service, start } = setUp();
    const end = START + 10;
    store.append(
      GROUP,
      [START * 1000 - 1, START * 1000, end * 1000 + 999, (end + 1) * 1000].map((timestamp) => ({
        timestamp,
        message: String(timestamp),
      })),
    );
    const { queryId } = start({ startTime: START, endTime: end, queryString: 'fields @message' });
    jest.advanceTimersByTime(100);
    expect(service.getQueryResults({ queryId }).results).toEqual([
      [{ field: '@message', value: String(end * 1000 + 999) }],
      [{ field: '@message', value: String(START * 1000) }],
    ]);
    service.close();
  });

  test('StartQuery limit caps the rows returned', () => {
    const { store, service, start } = setUp();
    store.append(
      GROUP,
      [1, 2, 3].map((i) => ({ timestamp: START * 1000 + i, message: `m${i}` })),
    );
    const { queryId } = start({ queryString: 'fields @message', limit: 2 });
    jest.advanceTimersByTime(100);
    expect(service.getQueryResults({ queryId }).results).toHaveLength(2);
    service.close();
  });

  test('StopQuery cancels a running query; stopping it again, or a complete one, is not a success', () => {
    const { service, start } = setUp();
    const running = start();
    expect(service.stopQuery(running)).toEqual({ success: true });
    expect(service.getQueryResults(running).status).toBe('Cancelled');
    expect(service.stopQuery(running)).toEqual({ success: false });
    const done = start();
    jest.advanceTimersByTime(100);
    expect(service.stopQuery(done)).toEqual({ success: false });
    expect(service.getQueryResults(done).status).toBe('Complete');
    service.close();
  });

  test('close() clears every timer and cancels what is still pending', () => {
    const { service, start } = setUp();
    const { queryId } = start();
    start();
    expect(jest.getTimerCount()).toBe(4);
    service.close();
    expect(jest.getTimerCount()).toBe(0);
    expect(service.getQueryResults({ queryId }).status).toBe('Cancelled');
    expect(service.describeQueries({ status: 'Cancelled' })).toHaveLength(2);
  });
});

describe('InsightsService: 30 concurrent queries per account and region', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('30 start; the 31st is LimitExceededException; a completed query frees its slot', () => {
    const { service, start } = setUp();
    for (let i = 0; i < 30; i++) start();
    const refused = errorOf(() => start());
    expect(refused?.name).toBe('LimitExceededException');
    expect(refused?.message).toContain('[30]');
    expect(service.maxConcurrentQueriesObserved).toBe(30);

    jest.advanceTimersByTime(100);
    for (let i = 0; i < 30; i++) start();
    expect(service.maxConcurrentQueriesObserved).toBe(30);
    expect(errorOf(() => start())?.name).toBe('LimitExceededException');
    service.close();
  });

  test('a stopped query frees its slot; the quota is configurable', () => {
    const { service, start } = setUp({ maxConcurrentQueries: 2 });
    const first = start();
    start();
    expect(errorOf(() => start())?.name).toBe('LimitExceededException');
    service.stopQuery(first);
    expect(() => start()).not.toThrow();
    expect(service.maxConcurrentQueriesObserved).toBe(2);
    service.close();
  });
});

describe('InsightsService: requests AWS refuses', () => {
  test.each<[string, Partial<StartQueryRequest>, string]>([
    ['StartTime after EndTime', { startTime: START + 1, endTime: START }, 'InvalidParameterException'],
    ['fractional seconds', { startTime: START + 0.5 }, 'InvalidParameterException'],
    ['51 log groups', { logGroupNames: Array.from({ length: 51 }, () => GROUP) }, 'InvalidParameterException'],
    ['no log group', { logGroupNames: [] }, 'InvalidParameterException'],
    ['both logGroupName and logGroupNames', { logGroupName: GROUP }, 'InvalidParameterException'],
    ['limit 0', { limit: 0 }, 'InvalidParameterException'],
    ['limit 10001', { limit: 10_001 }, 'InvalidParameterException'],
    [
      'a query over 10,000 characters',
      { queryString: `filter a = "${'x'.repeat(10_000)}"` },
      'InvalidParameterException',
    ],
    ['an unknown log group', { logGroupNames: [GROUP, '/aws/lambda/missing'] }, 'ResourceNotFoundException'],
    ['an unsupported command', { queryString: 'fields @message | dedup service' }, 'MalformedQueryException'],
  ])('%s', (_, request, name) => {
    const { service, start } = setUp();
    expect(errorOf(() => start(request))?.name).toBe(name);
    expect(service.maxConcurrentQueriesObserved).toBe(0);
  });

  test('50 log groups are accepted; logGroupName alone is accepted', () => {
    const { store, service, start } = setUp();
    const groups = Array.from({ length: 50 }, (_, i) => `/aws/lambda/fn-${i}`);
    for (const group of groups) store.createGroup(group);
    expect(() => start({ logGroupNames: groups })).not.toThrow();
    expect(() => start({ logGroupNames: undefined, logGroupName: GROUP })).not.toThrow();
    service.close();
  });

  test('an unknown queryId is ResourceNotFoundException', () => {
    const { service } = setUp();
    expect(errorOf(() => service.getQueryResults({ queryId: 'nope' }))?.name).toBe('ResourceNotFoundException');
    expect(errorOf(() => service.stopQuery({ queryId: 'nope' }))?.name).toBe('ResourceNotFoundException');
  });
});

describe('InsightsService: real timers', () => {
  test('with the default delay a query completes within a few tens of milliseconds', async () => {
    const store = new LogStore();
    store.append(GROUP, [{ timestamp: START * 1000, message: '{"event":"flag_applied"}' }]);
    const service = new InsightsService({ store });
    const { queryId } = service.startQuery({
      logGroupName: GROUP,
      queryString: 'filter event = "flag_applied" | stats count(*)',
      startTime: START,
      endTime: START,
    });
    const started = Date.now();
    while (service.getQueryResults({ queryId }).status !== 'Complete' && Date.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(service.getQueryResults({ queryId }).results).toEqual([[{ field: 'count(*)', value: '1' }]]);
    service.close();
  });
});
