/**
 * Starts the real reference server as a child process on an ephemeral port,
 * as the browser tests, the end-to-end test and the benchmarks need it.
 * Each instance gets its own data directory (removed on stop) unless one is given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyPgliteTemplate } from './pglite-template.js';

export interface ServerOptions {
  /** Existing data directory (kept on stop); a fresh temporary one (a copy of a migrated template) when absent. */
  dataDir?: string;
  databaseUrl?: string;
  port?: number;
  hostToken?: string;
  /** Extra CLI flags. */
  args?: string[];
  /** The server's entry: `server/main.ts` through tsx by default; a `.js` file (the packaged server's `dist/main.js`) runs without tsx. */
  script?: string;
  /** Extra flags for Node itself (before the script), e.g. `--expose-gc`. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Print the server's output (default: only when it fails to start). */
  verbose?: boolean;
  /** Keep everything the server prints in `output` (its logs), not only what it printed until it listened. */
  captureOutput?: boolean;
  /** Give up waiting for the `listening` line after this long (default 60 s). */
  startTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  hostToken: string;
  dataDir: string;
  process: ChildProcess;
  /** What the server printed (stdout and stderr): up to listening, and everything with `captureOutput`. */
  readonly output: string;
  /** The exit code once it exited, else null. */
  readonly exited: Promise<number | null>;
  /** SIGTERM and wait; removes a temporary data directory. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash. Keeps the data directory. */
  kill(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startReferenceServer(options: ServerOptions = {}): Promise<RunningServer> {
  const tempDir = options.dataDir ? null : mkdtempSync(join(tmpdir(), 'live-drop-data-'));
  const dataDir = options.dataDir ?? tempDir!;
  if (tempDir && !options.databaseUrl) await copyPgliteTemplate(tempDir);
  const hostToken = options.hostToken ?? 'test-host-token-0123456789';
  const script = options.script ?? join(root, 'server/main.ts');
  const args = [
    ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []),
    ...(options.nodeArgs ?? []),
    script,
    '--port',
    String(options.port ?? 0),
    '--host',
    '127.0.0.1',
    '--data-dir',
    dataDir,
    '--host-token',
    hostToken,
    '--allowed-origins',
    '*',
    ...(options.args ?? []),
  ];
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;

  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // A benchmark or test that dies must not leave its servers running.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', orphanGuard);
      resolve(code);
    }),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const limit = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running (and writing its data directory) after the caller gave up on it
      reject(new Error(`reference server did not start within ${limit / 1000} s:\n${output}`));
    }, limit);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.verbose) process.stdout.write(chunk);
      const m = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reference server exited with ${code} before listening:\n${output}`));
    });
  });
  // Keep draining output so the child never blocks on a full pipe.
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  const keep = (c: Buffer) => options.captureOutput && (output += c.toString());
  child.stdout!.on('data', (c: Buffer) => (keep(c), options.verbose && process.stdout.write(c)));
  child.stderr!.on('data', (c: Buffer) => (keep(c), options.verbose && process.stderr.write(c)));

  return {
    url,
    hostToken,
    dataDir,
    process: child,
    get output() {
      return output;
    },
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
