import { seededRandom } from './support/generate';
import { parseInstant } from '../src/facts/time';

/** The general path, from the ISO 8601 grammar and Date.parse alone: what the fast path must reproduce. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const general = (text: string): number | null => {
  const ms = ISO_INSTANT.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : null;
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('parseInstant', () => {
  test('agrees with Date.parse on 20,000 generated instants, in range and out of it', () => {
    const random = seededRandom(42);
    const int = (below: number) => Math.floor(random() * below);
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Years span four centuries (every leap-year rule); fields overflow their ranges now and then
      // (month 13, day 31 in February, hour 24…).
      const date = `${pad(1960 + int(500), 4)}-${pad(int(14), 2)}-${pad(int(33), 2)}`;
      const time = `${pad(int(26), 2)}:${pad(int(62), 2)}:${pad(int(62), 2)}`;
      const fraction = ['', `.${pad(int(1000), 3)}`, `.${pad(int(100), 2)}`, `.${pad(int(1e6), 6)}`][int(4)];
      const zone = ['Z', 'Z', 'Z', '+02:00', 'z', ''][int(6)];
      const text = `${date}T${time}${fraction}${zone}`;
      if (parseInstant(text) !== general(text)) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
  });

  test.each([
    ['2025-03-04T10:00:00Z', Date.UTC(2025, 2, 4, 10)],
    ['2025-03-04T10:00:00.250Z', Date.UTC(2025, 2, 4, 10, 0, 0, 250)],
    ['2024-02-29T23:59:59.999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['2025-03-04T10:00:00.2a0Z', null],
    ['2025-03-04T10:00:00.250', null],
    ['2025-03-04 10:00:00Z', null],
    ['yesterday', null],
    [undefined, null],
  ])('%s is %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });
});
