import { closingLine, sumReports } from './test-summary';

/** `node tools/lib/summarise-tests.js REPORT...`: prints the closing line; exits 1 if anything failed. */
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('summarise-tests: no Jest reports were given (did any test run?)');
  process.exit(1);
}
const totals = sumReports(files);
console.log(closingLine(totals));
process.exit(totals.failed + totals.brokenSuites > 0 || totals.passed === 0 ? 1 : 0);
