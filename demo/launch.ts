/**
 * Runs the demo (`demo/start.ts`) as a child process on free ports and reads
 * the URLs and host token it prints: what the end-to-end test and the
 * screenshot script need to drive it like a person would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningDemo {
  /** Drop page, e.g. `http://localhost:41234/`. */
  site: string;
  host: string;
  theming: string;
  backend: string;
  hostToken: string;
  process: ChildProcess;
  /** Everything the demo printed so far (for failure messages). */
  output(): string;
  /** Ctrl-C, as a person would; waits for both servers to stop and removes the data directory. */
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

export async function launchDemo(options: { demoStartIn?: number; args?: string[] } = {}): Promise<RunningDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'live-drop-demo-'));
  const args = ['--import', 'tsx', join(root, 'demo/start.ts'), '--port', '0', '--backend-port', '0', '--data-dir', dataDir, '--no-open'];
  if (options.demoStartIn !== undefined) args.push('--demo-start-in', String(options.demoStartIn));
  const child = spawn(process.execPath, [...args, ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const field = (label: string) => new RegExp(`^\\s*${label}\\s+(\\S+)\\s*$`, 'm').exec(output)?.[1];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start within 90 s:\n${output}`)), 90_000);
    const check = () => {
      if (!field('Host token')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    site: field('Drop page')!,
    host: field('Host console')!,
    theming: field('Theming')!,
    backend: field('Backend')!,
    hostToken: field('Host token')!,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
