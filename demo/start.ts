/**
 * `npm start`: the reference backend (a child process, seeded with the demo
 * drop) and the demo pages on another origin, then the URLs to open.
 *
 *   node --import tsx demo/start.ts [--port 5173] [--backend-port 8787] [--host 127.0.0.1]
 *                                   [--data-dir .data/pglite] [--demo-start-in 90]
 *                                   [--host-token T] [--dist dist] [--metrics-port 0] [--no-open]
 *
 * Port 0 picks a free port (the end-to-end test does; the metrics port by
 * default). The backend logs only warnings and its start-up lines here.
 * Ctrl-C stops both servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_BACKEND, startStaticServer, type DemoConfig } from './static-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: '5173' },
    'backend-port': { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: '.data/pglite' },
    'demo-start-in': { type: 'string' },
    'host-token': { type: 'string' },
    'metrics-port': { type: 'string', default: '0' },
    /** The build to serve at /dist/ (another build, e.g. to compare two). */
    dist: { type: 'string', default: 'dist' },
    'no-open': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`\nlive-drop demo: ${message}\n`);
  process.exit(1);
}

function portNumber(name: string): number {
  const port = Number(flags[name as 'port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--${name} must be a port number (0 picks a free one).`);
  return port;
}

/** Fails with a clear message when something already listens on the port. */
function ensureFree(port: number, flag: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'EADDRINUSE'
          ? `port ${port} is already in use (another live-drop demo?). Stop it, or pick another port with --${flag} <port>.`
          : `cannot listen on ${flags.host}:${port}: ${err.message}`,
      ),
    );
    probe.listen(port, flags.host, () => probe.close(() => resolve()));
  });
}

/** Starts `server/main.ts`, passing its log through, and resolves with the URLs it prints once it listens. */
function startBackend(args: string[]): Promise<{ child: ChildProcess; url: string; metrics: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(process.stdout);
  child.stderr!.pipe(process.stderr);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/[^\s"]+)/.exec(output);
      const metrics = /metrics on (http:\/\/[^\s"]+)/.exec(output);
      if (!m || !metrics) return;
      child.stdout!.off('data', onData);
      resolve({ child, url: m[1].replace(/\/$/, ''), metrics: metrics[1] });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the backend exited (code ${code}) before listening.`)));
  });
}

function openBrowser(url: string): void {
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (flags['no-open'] || process.env.CI || !process.stdout.isTTY || !hasDisplay) return;
  const [cmd, ...args] =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  const opener = spawn(cmd, args, { stdio: 'ignore', detached: true });
  opener.on('error', () => {}); // no opener installed: the printed URL is enough
  opener.unref();
}

const port = portNumber('port');
const backendPort = portNumber('backend-port');
if (!existsSync(resolve(root, flags.dist, 'live-drop.js')))
  fail(`${flags.dist}/live-drop.js is missing: run \`npm run build\` first (\`npm start\` does).`);
await ensureFree(port, 'port');
await ensureFree(backendPort, 'backend-port');

const config: DemoConfig = {
  backend: DEFAULT_BACKEND,
  hostToken: flags['host-token'] ?? randomBytes(18).toString('hex'), // hex: a base64url token may start with '-', which the server's flag parser takes for an option
};
// The demo pages first, so the backend can be told their origin for CORS.
const site = await startStaticServer({
  port,
  host: flags.host,
  config,
  mounts: [
    ['/dist/', flags.dist],
    ['/', 'demo'],
  ],
});
const siteOrigins = [site.url, site.url.replace('//localhost:', '//127.0.0.1:')];

let backend: { child: ChildProcess; url: string; metrics: string };
try {
  backend = await startBackend([
    '--port',
    String(backendPort),
    '--host',
    flags.host,
    '--data-dir',
    flags['data-dir'],
    '--host-token',
    config.hostToken,
    '--allowed-origins',
    [...new Set(siteOrigins)].join(','),
    '--seed-demo',
    '--metrics-port',
    String(portNumber('metrics-port')),
    // The terminal shows the demo's URLs, warnings and errors, not a line per video segment.
    '--log-level',
    'warn',
    '--log-format',
    process.stdout.isTTY ? 'pretty' : 'json',
    ...(flags['demo-start-in'] ? ['--demo-start-in', flags['demo-start-in']] : []),
  ]);
} catch (err) {
  await site.close();
  fail((err as Error).message);
}
config.backend = backend.url.replace(/\/\/(127\.0\.0\.1|0\.0\.0\.0|\[::\]):/, '//localhost:');

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const exited = new Promise((resolve) => (backend.child.exitCode === null ? backend.child.once('exit', resolve) : resolve(null)));
  backend.child.kill('SIGTERM');
  const forced = setTimeout(() => backend.child.kill('SIGKILL'), 5000);
  await Promise.all([exited, site.close()]);
  clearTimeout(forced);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
backend.child.once('exit', (code) => {
  if (stopping) return;
  console.error(`\nlive-drop demo: the backend stopped (code ${code}); stopping the demo.`);
  void stop(1);
});

console.log(`
  live-drop demo

  Drop page      ${site.url}/
  Host console   ${site.url}/host.html
  Theming        ${site.url}/theming.html

  Backend        ${config.backend}
  Health         ${config.backend}/healthz  (ready: ${config.backend}/readyz)
  Metrics        ${backend.metrics}
  Host token     ${config.hostToken}

  Ctrl-C stops both servers.
`);
openBrowser(`${site.url}/`);
