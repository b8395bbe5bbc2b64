import * as fs from 'node:fs';

/** Counts from Jest's `--json` report (the fields this summary needs). */
interface JestReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests?: number;
  readonly numRuntimeErrorTestSuites?: number;
  readonly success: boolean;
}

export interface TestTotals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Suites that crashed before running (a compile error): they count as failures. */
  readonly brokenSuites: number;
  readonly reports: number;
}

/** Adds up the Jest reports of every project into the totals CI reads. */
export function sumReports(files: readonly string[]): TestTotals {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let brokenSuites = 0;
  for (const file of files) {
    let report: JestReport;
    try {
      report = JSON.parse(fs.readFileSync(file, 'utf8')) as JestReport;
    } catch (error) {
      throw new Error(`cannot read the Jest report ${file}: ${(error as Error).message}`);
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    brokenSuites += report.numRuntimeErrorTestSuites ?? 0;
  }
  return { passed, failed, skipped, brokenSuites, reports: files.length };
}

/** The closing line: `tests: N passed, N failed, N skipped`. */
export function closingLine(totals: TestTotals): string {
  return `tests: ${totals.passed} passed, ${totals.failed + totals.brokenSuites} failed, ${totals.skipped} skipped`;
}
