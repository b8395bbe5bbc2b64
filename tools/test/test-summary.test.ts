import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closingLine, sumReports } from '../src/test-summary';

function writeReport(dir: string, name: string, report: object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(report));
  return file;
}

describe('sumReports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffc-summary-'));

  test('adds up passed, failed and skipped across projects', () => {
    const a = writeReport(dir, 'a.json', {
      numPassedTests: 3,
      numFailedTests: 1,
      numPendingTests: 2,
      numTodoTests: 1,
      success: false,
    });
    const b = writeReport(dir, 'b.json', { numPassedTests: 4, numFailedTests: 0, numPendingTests: 0, success: true });
    expect(closingLine(sumReports([a, b]))).toBe('tests: 7 passed, 1 failed, 3 skipped');
  });

  test('a suite that crashed before running counts as a failure', () => {
    const c = writeReport(dir, 'c.json', {
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numRuntimeErrorTestSuites: 1,
      success: false,
    });
    expect(closingLine(sumReports([c]))).toBe('tests: 0 passed, 1 failed, 0 skipped');
  });

  test('an unreadable report is an error naming the file', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    expect(() => sumReports([bad])).toThrow(/bad\.json/);
  });
});
