/**
 * The reference backend as its users run it, without this repository:
 * `live-drop-server` packed (its prepack bundles server/ into dist/),
 * installed into an empty folder outside the repository (so nothing resolves
 * from the repository's node_modules), and started with
 * `npx live-drop-server --seed-demo`, on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freshDatabase, skipWithoutPostgres } from '../server/support/postgres.js';
import { root, run } from './packed-project.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Runs `npx live-drop-server --seed-demo` in `folder` until it listens; stops it as Ctrl-C in a terminal would (the whole process group). */
async function npxServer(folder: string, env: Record<string, string | undefined> = {}) {
  const child = spawn(npx, ['live-drop-server', '--seed-demo', '--port', '0', '--host', '127.0.0.1'], {
    cwd: folder,
    env: { ...process.env, DATABASE_URL: undefined, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // npm exec dies of the signal at once, before the server it started may have written a word of its
  // drain; the pipes close only when every process holding them, the server too, has exited.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (m) done(() => resolve(m[1]));
    }, 100);
    const timer = setTimeout(() => done(() => reject(new Error(`no "listening" within 120 s:\n${output}`))), 120_000);
    void exited.then((code) => done(() => reject(new Error(`exited with ${code} before listening:\n${output}`))));
    const done = (fn: () => void) => {
      clearInterval(poll);
      clearTimeout(timer);
      fn();
    };
  });
  return {
    url,
    output: () => output,
    async stop() {
      process.kill(-child.pid!, 'SIGTERM');
      const code = await exited;
      // npm exec ends with the signal; the server's own exit is in its output, whole once the pipes close.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 30_000)));
      const end = await Promise.race([closed, late]);
      clearTimeout(timer);
      assert.notEqual(end, 'late', `the server had not exited 30 s after SIGTERM:\n${output}`);
      assert.match(output, /SIGTERM, draining/, output);
      assert.match(output, /live-drop server: stopped/, output);
      return code;
    },
  };
}

describe('live-drop-server from its packed tarball', () => {
  let dir: string;
  let folder: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-drop-server-package-'));
    const { stdout } = await run(npm, ['pack', '--json', '-w', 'live-drop-server', '--pack-destination', dir], { cwd: root });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
    folder = join(dir, 'empty-folder');
    mkdirSync(folder);
    // Prefer the cache, as an offline-minded user would, but reach the registry for what `npm ci` never cached (packuments).
    await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], { cwd: folder });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on PGlite with --seed-demo, answers /v1/time and the demo drop, and stops on SIGTERM', async () => {
    const server = await npxServer(folder);
    try {
      assert.match(server.output(), /storage\s+PGlite \.data\/pglite/);
      const time = (await (await fetch(`${server.url}/v1/time`)).json()) as { now: number };
      assert.ok(Math.abs(time.now - Date.now()) < 5_000, `server time ${time.now}`);
      const drop = await fetch(`${server.url}/v1/drops/demo`);
      assert.equal(drop.status, 200);
      const media = await fetch(`${server.url}/media/hoodie-night.svg`);
      assert.equal(media.status, 200, 'the product images ship in the package');
      const playlist = await fetch(`${server.url}/stream/live.m3u8`);
      assert.match(await playlist.text(), /#EXTINF/, 'the simulated stream ships in the package');
    } finally {
      await server.stop();
    }
  });

  it('runs on PostgreSQL when DATABASE_URL is set', { skip: skipWithoutPostgres }, async () => {
    const db = await freshDatabase('server_package');
    try {
      const server = await npxServer(folder, { DATABASE_URL: db.url });
      try {
        assert.match(server.output(), /storage\s+PostgreSQL/);
        const time = await fetch(`${server.url}/v1/time`);
        assert.equal(time.status, 200);
        assert.equal((await fetch(`${server.url}/v1/drops/demo`)).status, 200);
      } finally {
        await server.stop();
      }
    } finally {
      await db.drop();
    }
  });
});
