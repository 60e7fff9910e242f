/**
 * `npm publish --dry-run` is clean for every package of the repository: npm
 * corrects nothing in package.json and warns about nothing but the missing
 * login, and each tarball holds only what its users need.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { root, run } from './packed-project.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface DryRun {
  warnings: string[];
  files: string[];
}

async function dryRun(workspace?: string): Promise<DryRun> {
  const { stdout, stderr } = await run(npm, ['publish', '--dry-run', '--json', ...(workspace ? ['-w', workspace] : [])], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const warnings = stderr
    .split('\n')
    .filter((line) => /^npm (warn|error)/i.test(line))
    .filter((line) => !/requires you to be logged in/.test(line));
  // npm 11 keys the report by package name.
  // (A workspace's prepack prints before the report.)
  const [report] = Object.values(JSON.parse(stdout.slice(stdout.indexOf('{'))) as Record<string, { files: { path: string }[] }>);
  const files = report.files.map((f) => f.path);
  return { warnings, files };
}

describe('npm publish --dry-run', () => {
  it('live-drop: no warnings; the builds, types and manifest, and no sources, tests or source maps of the npm build', async () => {
    const { warnings, files } = await dryRun();
    assert.deepEqual(warnings, []);
    for (const f of [
      'dist/live-drop.js',
      'dist/npm/index.js',
      'dist/npm/drop-countdown.js',
      'dist/npm/live-drop-player.js',
      'custom-elements.json',
    ])
      assert.ok(files.includes(f), `${f} is published`);
    // The script tag keeps its maps (sources inlined) for debugging from a CDN; the npm build has none to point at missing sources.
    const strays = files.filter((f) =>
      /^(src|server|test|demo|scripts|bench|examples|packages|media|\.tmp)\/|^dist\/npm\/.*\.map$|hls.*\.map$/.test(f),
    );
    assert.deepEqual(strays, [], 'nothing but the builds');
  });

  it('live-drop-server: no warnings; the bundled server, its assets and README, nothing else', async () => {
    // npm checks the bin before prepack builds it: build first, as a release would, so a fresh clone warns of nothing.
    await run(npm, ['run', 'build', '-w', 'live-drop-server'], { cwd: root });
    const { warnings, files } = await dryRun('live-drop-server');
    assert.deepEqual(warnings, []);
    for (const f of [
      'dist/main.js',
      'dist/assets/server/storage/migrations/001_init.sql',
      'dist/assets/media/clip/clip.m3u8',
      'package.json',
      'README.md',
    ])
      assert.ok(files.includes(f), `${f} is published`);
    assert.deepEqual(
      files.filter((f) => !/^(dist\/|package\.json$|README\.md$)/.test(f)),
      [],
    );
  });
});
