/**
 * A fresh project with the packed package installed, as a framework developer
 * gets it: `npm pack`, then `npm install --prefer-offline <tarball>` into a new
 * folder under `.tmp/` inside the repository (from npm's cache; the registry only
 * for what `npm ci` never cached: packuments, such as those of the peer
 * dependencies npm adds, @lit/react's @types/react). Its own node_modules holds only
 * live-drop and its dependencies (from the tarball); TypeScript, Vite and the
 * frameworks resolve from the repository's node_modules above it. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedProject {
  /** The project folder, with live-drop in its node_modules. */
  project: string;
  /** Paths inside the tarball. */
  files: string[];
  remove(): void;
}

export async function packedProject(): Promise<PackedProject> {
  assert.ok(existsSync(join(root, 'dist/npm/index.d.ts')), 'run `npm run build` first');
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp/package-test-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-shop', private: true, type: 'module' }));
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed.filename)], {
    cwd: project,
  });
  return { project, files: packed.files.map((f) => f.path), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `vite build` of a folder's index.html into `<folder>/out`, with relative asset URLs. */
export async function viteBuild(folder: string): Promise<void> {
  await run(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--base', './', '--outDir', 'out'],
    {
      cwd: folder,
    },
  );
}
