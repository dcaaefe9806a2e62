// Prints `N passed, N failed` from vitest's JSON report and the pre-test checks, and exits
// non-zero when anything failed or the report is missing.
import { existsSync, readFileSync } from 'node:fs';

const testStatus = Number(process.argv[2] ?? '1');
const report = 'reports/vitest.json';
const checks = existsSync('reports/checks.json') ? JSON.parse(readFileSync('reports/checks.json', 'utf8')) : [];
let passed = checks.filter((c) => c.ok).length;
let failed = checks.filter((c) => !c.ok).length;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  // A file that fails to load has no tests to count; count it as one failure.
  failed += result.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
} else if (testStatus !== 0 && failed === 0) {
  failed += 1;
}
if (testStatus !== 0 && failed === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
