import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../server/config.js';
import { copyPgliteTemplate } from '../support/pglite-template.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs server/main.ts to its exit (bad configuration exits before opening any database). */
function runServer(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', HOST_TOKEN: '', PORT: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// Concurrent: the tests that spawn a server mostly wait on its start-up.
describe('configuration', { concurrency: true }, () => {
  const bad: [string, string[], Record<string, string>, RegExp][] = [
    ['a port that is not a number', ['--port', 'eighty'], {}, /port .* must be an integer from 0 to 65535, got "eighty"/],
    ['a port out of range from the environment', [], { PORT: '70000' }, /port \(--port \/ PORT\) must be an integer/],
    ['an unknown flag', ['--prot', '8080'], {}, /Unknown option '--prot'/],
    ['an origin that is not a URL', ['--allowed-origins', 'shop.example'], {}, /allowed origin "shop.example" is not a URL/],
    ['an origin with a path', ['--allowed-origins', 'https://shop.example/app'], {}, /must be scheme:\/\/host\[:port\] only/],
    ['a short host token', ['--host-token', 'abc'], {}, /host token .* must be 16–512 visible ASCII characters/],
    ['a DATABASE_URL that is not PostgreSQL', [], { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\//],
    ['a zero hold', ['--hold-seconds', '0'], {}, /hold .* must be an integer from 1/],
    [
      'an unknown log level',
      ['--log-level', 'loud'],
      {},
      /log level .* must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/,
    ],
    ['an unknown log format', [], { LOG_FORMAT: 'xml' }, /log format .* must be json or pretty, got "xml"/],
    ['a metrics port out of range', ['--metrics-port', '99999'], {}, /metrics port .* must be an integer from 0 to 65535/],
    ['a zero drain deadline', ['--drain-seconds', '0'], {}, /drain deadline .* must be an integer from 1/],
    ['a rate limit without its window', ['--rate-reserve', '200'], {}, /rate limit \(--rate-reserve \/ RATE_RESERVE\) must be n\/s/],
    [
      'a rate limit of zero from the environment',
      [],
      { RATE_SHOPPERS: '0/60' },
      /rate limit \(--rate-shoppers \/ RATE_SHOPPERS\) must be n\/s/,
    ],
    [
      'a confirm key equal to the host token',
      ['--host-token', 'same-key-0123456789', '--confirm-key', 'same-key-0123456789'],
      {},
      /confirm key must differ from the host token/,
    ],
    [
      'a proxy count that is not a number',
      ['--trust-proxy', 'yes'],
      {},
      /trusted proxies \(--trust-proxy \/ TRUST_PROXY\) must be an integer from 0 to 10/,
    ],
  ];
  // The table runs in-process: `loadConfig` is what main.ts calls before it
  // opens anything, and spawning a server per row cost half a minute.
  for (const [what, args, env, message] of bad) {
    it(`refuses ${what} with a clear message`, () => {
      assert.throws(
        () => loadConfig(args, { DATABASE_URL: '', HOST_TOKEN: '', PORT: '', ...env }),
        (error) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }

  it('exits with code 2 and "bad configuration" before listening or opening a database', async () => {
    const { code, output } = await runServer(['--port', 'eighty']);
    assert.equal(code, 2, output);
    assert.match(output, /bad configuration: port .* must be an integer from 0 to 65535, got "eighty"/);
    assert.doesNotMatch(output, /listening on/);
  });

  it('exits 1 with the reason when the database cannot be reached', async () => {
    const { code, output } = await runServer(['--port', '0'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' });
    assert.equal(code, 1, output);
    assert.match(output, /cannot start: .*ECONNREFUSED/);
    assert.doesNotMatch(output, /secret/, 'the password is not printed');
  });

  it('exits 1 with the reason when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'live-drop-config-'));
    try {
      await copyPgliteTemplate(dataDir);
      const port = String((blocker.address() as AddressInfo).port);
      const { code, output } = await runServer(['--port', port, '--host', '127.0.0.1', '--data-dir', dataDir]);
      assert.equal(code, 1, output);
      assert.match(output, /cannot start: .*EADDRINUSE/);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a PGlite data directory another process is using', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'live-drop-config-'));
    try {
      await copyPgliteTemplate(dataDir);
      writeFileSync(join(dataDir, 'live-drop.lock'), String(process.pid));
      const { code, output } = await runServer(['--port', '0', '--data-dir', dataDir]);
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`in use by process ${process.pid}`));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints its configuration and a generated host token when none is configured, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'live-drop-config-'));
    after(() => rmSync(dataDir, { recursive: true, force: true }));
    await copyPgliteTemplate(dataDir);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: '', HOST_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let printed = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${printed}`)), 60_000);
      child.stdout.on('data', (c) => {
        printed += c;
        if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(printed)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(printed, /storage +PGlite /);
    assert.match(printed, /allowed origins +\*/);
    assert.match(
      printed,
      /limits per addr +shoppers 300\/600s, reserve 200\/60s, react 1800\/60s, streams 300\/60s, join 300\/60s; holds 150/,
    );
    assert.match(printed, /client address +the connection \(X-Forwarded-For ignored\)/);
    assert.match(printed, /chat +1\/2s per shopper; identity tokens not accepted; kept 30 days/);
    const token = /host token +(\S+) \(generated/.exec(printed);
    assert.ok(token && token[1].length >= 16, printed);
  });
});
