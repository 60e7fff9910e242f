/**
 * A small static file server for the demo: `demo/` at `/`, the built
 * `dist/` at `/dist/`, `/demo-config.json` for the host console, and the demo
 * shop's checkout endpoint `POST /checkout` (demo/checkout.ts), which confirms
 * held reservations with the host token kept on this server. (The script-tag
 * test mounts other directories.)
 *
 * It runs on another origin than the backend on purpose: the drop page loads
 * `dist/live-drop.js` from here and talks to the backend across origins, as a
 * shop embedding the script tag does.
 *
 * The pages name the backend as `http://localhost:8787`, exactly as a site
 * owner would paste it. When the backend runs elsewhere (another port, or the
 * end-to-end test's ephemeral one) that literal is rewritten in HTML on the way out.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleCheckout } from './checkout.js';

export const DEFAULT_BACKEND = 'http://localhost:8787';

const root = fileURLToPath(new URL('..', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** What the pages learn about the backend; read on every request, so it may be filled in after listening. */
export interface DemoConfig {
  /** The backend URL the pages should use. */
  backend: string;
  /** Served at `/demo-config.json` so the host console can prefill its token. */
  hostToken: string;
}

export interface StaticServerOptions {
  port: number;
  host: string;
  config: DemoConfig;
  /** URL prefix → directory (relative to the repository), longest prefix first; default: the demo's. */
  mounts?: [prefix: string, dir: string][];
  /** Sent with every file, e.g. a Content-Security-Policy or CORS for a CDN (the tests set them). */
  headers?: Record<string, string>;
}

const DEMO_MOUNTS: [string, string][] = [
  ['/dist/', 'dist'],
  ['/', 'demo'],
];

export interface RunningStaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Maps a URL path to a file in a mounted directory, or null when it points elsewhere. */
function fileFor(pathname: string, mounts: [string, string][]): string | null {
  const decoded = decodeURIComponent(pathname);
  const mount = mounts.find(([prefix]) => decoded.startsWith(prefix));
  if (!mount) return null;
  const dir = resolve(root, mount[1]);
  const rest = decoded.slice(mount[0].length);
  const file = resolve(dir, normalize(rest || 'index.html'));
  if (file !== dir && !file.startsWith(dir + sep)) return null;
  try {
    return statSync(file).isDirectory() ? join(file, 'index.html') : file;
  } catch {
    return null;
  }
}

export function startStaticServer(options: StaticServerOptions): Promise<RunningStaticServer> {
  const { config, mounts = DEMO_MOUNTS } = options;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/checkout') {
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      return void handleCheckout(req, res, config);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (url.pathname === '/demo-config.json') {
      return void res
        .writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' })
        .end(JSON.stringify({ ...config, drop: 'demo' }));
    }
    const file = fileFor(url.pathname, mounts);
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-cache', ...options.headers };
    try {
      if (extname(file) === '.html') {
        const html = (await readFile(file, 'utf8')).replaceAll(DEFAULT_BACKEND, config.backend);
        return void res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : html);
      }
      statSync(file);
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = ['127.0.0.1', '::1', '0.0.0.0', '::'].includes(options.host) ? 'localhost' : options.host;
      resolvePromise({
        url: `http://${host}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
