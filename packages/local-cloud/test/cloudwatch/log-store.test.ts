import { LogStore } from '../../src/cloudwatch';

const GROUP = '/aws/lambda/cache-updater';

describe('LogStore', () => {
  test('a range includes both ends, to the millisecond', () => {
    const store = new LogStore();
    store.append(
      GROUP,
      [999, 1000, 1500, 2000, 2001].map((timestamp) => ({ timestamp, message: `m${timestamp}` })),
    );
    expect(store.events(GROUP, 1000, 2000).map((e) => e.timestamp)).toEqual([1000, 1500, 2000]);
    expect(store.events(GROUP, 2002, 3000)).toEqual([]);
    expect(store.events(GROUP, 0, 998)).toEqual([]);
  });

  test('events appended out of order come back in time order, equal times in arrival order', () => {
    const store = new LogStore();
    store.append(GROUP, [
      { timestamp: 30, message: 'c' },
      { timestamp: 10, message: 'a' },
    ]);
    store.append(GROUP, [
      { timestamp: 20, message: 'b1' },
      { timestamp: 20, message: 'b2' },
    ]);
    expect(store.events(GROUP, 0, 100).map((e) => e.message)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  test('events carry their group, their stream and an ingestion time from the store clock when absent', () => {
    const store = new LogStore({ now: () => 42 });
    store.append(GROUP, [
      { timestamp: 1, message: 'x', logStreamName: 's' },
      { timestamp: 2, message: 'y', ingestionTime: 7 },
    ]);
    expect(store.events(GROUP, 0, 10)).toEqual([
      { timestamp: 1, message: 'x', logStreamName: 's', logGroupName: GROUP, ingestionTime: 42 },
      { timestamp: 2, message: 'y', logGroupName: GROUP, ingestionTime: 7 },
    ]);
  });

  test('append creates the group, as Lambda does; createGroup is idempotent; groups() lists them', () => {
    const store = new LogStore();
    expect(store.hasGroup(GROUP)).toBe(false);
    store.append(GROUP, []);
    store.createGroup('/aws/lambda/other');
    store.createGroup('/aws/lambda/other');
    expect(store.hasGroup(GROUP)).toBe(true);
    expect(store.groups()).toEqual([GROUP, '/aws/lambda/other']);
  });

  test('an unknown group is ResourceNotFoundException; a non-numeric timestamp InvalidParameterException', () => {
    const store = new LogStore();
    expect(() => store.events('/nope', 0, 1)).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
    expect(() => store.append(GROUP, [{ timestamp: Number.NaN, message: 'x' }])).toThrow(
      expect.objectContaining({ name: 'InvalidParameterException' }),
    );
  });

  test('100s of changes × 2,000 lines: a narrow range read does not scan the group', () => {
    const store = new LogStore();
    for (let change = 0; change < 100; change++) {
      const base = change * 10_000;
      store.append(
        GROUP,
        Array.from({ length: 2000 }, (_, i) => ({ timestamp: base + i * 5, message: `{"change":${change}}` })),
      );
    }
    const start = performance.now();
    let seen = 0;
    for (let read = 0; read < 1000; read++) seen += store.events(GROUP, read * 1000, read * 1000 + 45).length;
    const elapsed = performance.now() - start;
    expect(seen).toBe(10_000);
    // 1,000 reads of 10 events each: a scan of all 200,000 per read takes seconds, two binary searches ~1 ms.
    expect(elapsed).toBeLessThan(250);
  });
});
