/**
 * Builds packages/live-drop-server/dist from server/ and src/protocol/, so the
 * reference backend runs from its npm package (`npx live-drop-server`) while
 * the repository keeps running it from source (`npm run server`, tests).
 *
 * One bundled `dist/main.js` (esbuild) with the package's dependencies left as
 * imports. Files the server reads beside its source (`new URL('…', import.meta.url)`:
 * migrations, product images, the HLS clip) are copied under `dist/assets/` at
 * their repository paths and the URLs rewritten to match. The build fails when
 * server/ imports a package the server package does not list, or lists with
 * another range than the repository, so a dependency added to the server
 * cannot be forgotten here.
 */
import { build, type Plugin } from 'esbuild';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = join(root, 'packages/live-drop-server');
const dist = join(pkgDir, 'dist');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

/** The first line of `--help` names the command as the package's users type it. */
const REPO_COMMAND = 'node --import tsx server/main.ts';

const assets = new Set<string>();

const packagePlugin: Plugin = {
  name: 'live-drop-server-package',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      if (path.startsWith('node:') || builtinModules.includes(path)) return { path, external: true };
      const name = path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0];
      const range = pkg.dependencies[name];
      if (!range) return { errors: [{ text: `server/ imports "${name}": add it to packages/live-drop-server/package.json dependencies` }] };
      const repoRange = rootPkg.dependencies?.[name] ?? rootPkg.devDependencies?.[name];
      if (repoRange !== range)
        return { errors: [{ text: `"${name}" is ${range} in the server package but ${repoRange} in the repository: keep them equal` }] };
      return { path, external: true };
    });
    b.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      let source = readFileSync(path, 'utf8');
      source = source.replace(/new URL\((['"])([^'"]+)\1, import\.meta\.url\)/g, (_match, _q, rel: string) => {
        const target = relative(root, resolve(dirname(path), rel))
          .split('\\')
          .join('/');
        assets.add(target);
        return `new URL('./assets/${target}${rel.endsWith('/') ? '/' : ''}', import.meta.url)`;
      });
      if (path.endsWith(join('server', 'config.ts'))) {
        if (!source.includes(REPO_COMMAND))
          throw new Error(`server/config.ts no longer says "${REPO_COMMAND}" in its usage: update scripts/server-package.ts`);
        source = source.replace(REPO_COMMAND, 'live-drop-server');
      }
      return { contents: source, loader: 'ts' };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'server/main.ts')],
  outfile: join(dist, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [packagePlugin],
  logLevel: 'warning',
});
for (const asset of assets) cpSync(join(root, asset), join(dist, 'assets', asset), { recursive: true });
console.log(`live-drop-server: dist/main.js and ${assets.size} asset folders (${[...assets].join(', ')})`);
