/**
 * Browser tests: the elements in real Chromium against the real reference
 * server, started once per run on an ephemeral port. Tests reach it through
 * the `live-drop:backend` server command (see test/helpers/backend.ts).
 *
 * The server limits what one client address may do, at its defaults here.
 * Chromium always connects from 127.0.0.1, so each test file reaches the
 * server through a forwarder of its own that connects from a loopback address
 * of its own (test/support/loopback.ts): every file is another visitor, as
 * every shopper is in the field. `{ limits: 'tight' }` asks for a second
 * server whose reservation limit a test can reach in a few requests.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, type TestRunnerConfig, type TestRunnerPlugin } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumLaunchOptions } from './test/support/chromium.js';
import { faultProxyPlugin } from './test/support/fault-proxy-plugin.js';
import { startFaultProxy, type FaultProxy } from './test/support/fault-proxy.js';
import { loopbackAddress } from './test/support/loopback.js';
import { startReferenceServer, type RunningServer } from './test/support/reference-server.js';
import { signIdentity } from './server/services/chat-identity.js';
import { summaryReporter } from './test/support/summary-reporter.js';

/** The reservation limit of the `tight` server: 3 requests per 4 s from one address. */
const TIGHT_ARGS = ['--rate-reserve', '3/4'];
/** The secret the default server checks chat identity tokens with; `live-drop:sign-identity` signs as a site would. */
const CHAT_IDENTITY_SECRET = 'test-chat-identity-secret-0123456789abcdef';

function referenceServerPlugin(): TestRunnerPlugin {
  const servers = new Map<string, Promise<RunningServer>>();
  const forwarders = new Map<string, Promise<FaultProxy>>();
  const server = (kind: string) => {
    let s = servers.get(kind);
    if (!s)
      servers.set(
        kind,
        (s = startReferenceServer({ args: kind === 'tight' ? TIGHT_ARGS : ['--chat-identity-secret', CHAT_IDENTITY_SECRET] })),
      );
    return s;
  };
  /** One forwarder per test file and server, connecting from the file's own loopback address. */
  const forwarder = (file: string, kind: string) => {
    const key = `${kind} ${file}`;
    let f = forwarders.get(key);
    if (!f) {
      const from = loopbackAddress(forwarders.size);
      forwarders.set(key, (f = server(kind).then((s) => startFaultProxy(s.url, { from }))));
    }
    return f;
  };
  return {
    name: 'live-drop-reference-server',
    async serverStart() {
      // Both now: starting one later could outlast a command's 20 s timeout on a busy machine.
      await Promise.all([server('default'), server('tight')]);
    },
    async serverStop() {
      await Promise.all([...forwarders.values()].map(async (f) => (await f).close()));
      await Promise.all([...servers.values()].map(async (s) => (await s).stop()));
    },
    async executeCommand({ command, payload, session }) {
      if (command === 'live-drop:sign-identity') {
        const { sub, name } = payload as { sub: string; name: string };
        return signIdentity(CHAT_IDENTITY_SECRET, { sub, name, exp: Date.now() + 600_000 });
      }
      if (command !== 'live-drop:backend') return undefined;
      const kind = (payload as { limits?: string } | undefined)?.limits === 'tight' ? 'tight' : 'default';
      const [s, f] = await Promise.all([server(kind), forwarder(session.testFile, kind)]);
      return { url: f.url, hostToken: s.hostToken };
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
