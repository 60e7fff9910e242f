/**
 * The browser benchmarks' page: one HTML page at `/` and the built `dist/`
 * beside it, on a loopback origin (Chromium refuses a public page calling 127.0.0.1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

const dist = resolve(import.meta.dirname, '../../dist');

/** Exits with a message when the script-tag build is missing. */
export function requireBuild(bench: string): void {
  if (existsSync(join(dist, 'live-drop.js'))) return;
  console.error(`bench/${bench}: dist/live-drop.js is missing; run \`npm run build\` first.`);
  process.exit(1);
}

/**
 * A page that loads dist/live-drop.js and makes one `<live-drop-player>`, `el`, whose `backend`, `drop` and
 * `playback` come from the query; `script` (a module script's body) appends it and watches it.
 */
export const playerPage = (script: string) => `<!doctype html><meta charset="utf-8"><script type="module" src="/live-drop.js"></script>
<script type="module">
  const q = new URLSearchParams(location.search);
  const el = document.createElement('live-drop-player');
  for (const name of ['backend', 'drop', 'playback']) el.setAttribute(name, q.get(name));
${script}
</script>`;

/** Serves `page` at `/` and the files of `root` (the built `dist/` unless told otherwise, e.g. an earlier build to compare with). */
export async function startSite(page: string, root = dist): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'application/json' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
