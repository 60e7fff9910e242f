/**
 * Ends a Web Test Runner run with one plain line, `browser: N passed, N failed, N skipped`,
 * that a person or a CI log reader can find without parsing the progress bar.
 */
import { relative } from 'node:path';
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
      // Counts a suite's tests and returns their time in ms.
      const walk = (suite: TestSuiteResult): number => {
        let ms = 0;
        for (const t of suite.tests) {
          ms += t.duration ?? 0;
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        return suite.suites.reduce((sum, child) => sum + walk(child), ms);
      };
      const seconds = new Map<string, number>();
      for (const s of sessions) {
        if (s.testResults) seconds.set(s.testFile, walk(s.testResults) / 1000);
        // A file that failed to load, or failed outside a test, counts as one failure.
        if (!s.passed && (s.errors.length > 0 || !s.testResults)) failed++;
      }
      const slowest = [...seconds].sort((a, b) => b[1] - a[1]).slice(0, 8);
      console.log(
        `\nslowest files (their tests' time): ${slowest.map(([file, s]) => `${relative(process.cwd(), file)} ${s.toFixed(0)} s`).join(', ')}`,
      );
      console.log(`browser: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    },
  };
}
