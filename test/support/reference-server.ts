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
  env?: Record<string, string>;
  /** Print the server's output (default: only when it fails to start). */
  verbose?: boolean;
}

export interface RunningServer {
  url: string;
  hostToken: string;
  dataDir: string;
  process: ChildProcess;
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
  const args = [
    '--import',
    'tsx',
    join(root, 'server/main.ts'),
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running (and writing its data directory) after the caller gave up on it
      reject(new Error(`reference server did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.verbose) process.stdout.write(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(output);
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
  child.stdout!.on('data', (c: Buffer) => options.verbose && process.stdout.write(c));
  child.stderr!.on('data', (c: Buffer) => options.verbose && process.stderr.write(c));

  return {
    url,
    hostToken,
    dataDir,
    process: child,
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
