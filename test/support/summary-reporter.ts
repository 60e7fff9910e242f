/**
 * Ends a Web Test Runner run with one plain line, `browser: N passed, N failed, N skipped`,
 * that a person or a CI log reader can find without parsing the progress bar.
 */
import type { Reporter, TestSession, TestSuiteResult } from '@web/test-runner';

export function summaryReporter(): Reporter {
  let sessions: TestSession[] = [];
  return {
    onTestRunFinished(args) {
      sessions = args.sessions;
    },
    stop() {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite: TestSuiteResult) => {
        for (const t of suite.tests) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        suite.suites.forEach(walk);
      };
      for (const s of sessions) {
        if (s.testResults) walk(s.testResults);
        // A file that failed to load, or failed outside a test, counts as one failure.
        if (!s.passed && (s.errors.length > 0 || !s.testResults)) failed++;
      }
      console.log(`\nbrowser: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    },
  };
}
