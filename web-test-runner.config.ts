/**
 * Browser tests: the elements in real Chromium against the real reference
 * server, started once per run on an ephemeral port. Tests reach it through
 * the `live-drop:backend` server command (see test/helpers/backend.ts).
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, type TestRunnerConfig, type TestRunnerPlugin } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumLaunchOptions } from './test/support/chromium.js';
import { faultProxyPlugin } from './test/support/fault-proxy-plugin.js';
import { startReferenceServer, type RunningServer } from './test/support/reference-server.js';
import { summaryReporter } from './test/support/summary-reporter.js';

function referenceServerPlugin(): TestRunnerPlugin {
  let server: RunningServer | undefined;
  return {
    name: 'live-drop-reference-server',
    async serverStart() {
      server = await startReferenceServer();
    },
    async serverStop() {
      await server?.stop();
    },
    executeCommand({ command }) {
      if (command === 'live-drop:backend') return { url: server!.url, hostToken: server!.hostToken };
      return undefined;
    },
  };
}

const config: TestRunnerConfig = {
  files: ['test/**/*.test.ts', '!test/server/**', '!test/e2e/**', '!test/package/**'],
  nodeResolve: true,
  // nanostores reads process.env.NODE_ENV, which bundlers replace and browsers lack.
  testRunnerHtml: (framework) =>
    `<!doctype html><html><body><script>window.process = { env: { NODE_ENV: 'development' } };</script><script type="module" src="${framework}"></script></body></html>`,
  concurrency: 1,
  browserStartTimeout: 60_000,
  // Per test file; the player file plays real video for minutes on a loaded 2-core machine.
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 10_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), referenceServerPlugin(), faultProxyPlugin()],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: chromiumLaunchOptions() })],
  reporters: [defaultReporter(), summaryReporter()],
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
};

export default config;
