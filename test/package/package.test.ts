/**
 * The npm package as a framework developer gets it: packed, installed
 * into a fresh project (see packed-project.ts), imported, bundled, and
 * type-checked with the examples from docs/frameworks.md (React, Vue, Preact,
 * Solid, plain TypeScript) and with misuses the types must reject.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUDGET_GZIP, gzipSize } from '../../bench/lib/budget.js';
import { readElements } from '../../scripts/manifest.js';
import { packedProject, root, run, viteBuild, type PackedProject } from './packed-project.js';

const tsc = join(root, 'node_modules/typescript/bin/tsc');

const compilerOptions = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  strict: true,
  noEmit: true,
  types: [],
};

/** Misuses the types must reject: each `@ts-expect-error` fails the check if the types go loose (any). */
const misuseTs = `import { configure } from 'live-drop';

// @ts-expect-error: the backend is a string
configure({ backend: 8787 });

document.createElement('drop-product-card').addEventListener('drop-checkout', (event) => {
  // @ts-expect-error: the checkout detail has no such field
  event.detail.price;
});
`;
const misuseJsx = (types: string, listener: string) => `import type {} from 'live-drop/${types}';

export const wrongType = (
  // @ts-expect-error: compact is a boolean
  <drop-product-card drop="demo" product="hoodie-night" compact="yes" />
);

export const wrongValue = (
  // @ts-expect-error: playback is 'auto', 'hlsjs' or 'native'
  <live-drop-player drop="demo" playback="flash" />
);

export const wrongDetail = (
  <drop-product-card
    drop="demo"
    // @ts-expect-error: the reserved detail has no such field
    ${listener}={(event) => event.detail.nope}
  />
);
`;

/** The live-drop/react components: misuses they must reject, and an `on…` prop typed with its detail for every event the manifest lists. */
function misuseReact(): string {
  const needs: Record<string, string> = { 'drop-product-card': 'drop="demo" product="hoodie-night"' };
  const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
  // <drop-line> is not placed by sites (the card and the countdown render it), so live-drop/react has no component for it.
  const everyEvent = readElements()
    .filter((e) => e.tagName !== 'drop-line')
    .flatMap((e) =>
      e.events.map(
        ({ name }) => `export const ${pascal(e.tagName)}${pascal(name)} = (
  <${e.className} ${needs[e.tagName] ?? 'drop="demo"'} on${pascal(name)}={(event) => event.detail satisfies DropEventDetails['${name}']} />
);`,
      ),
    );
  return `import type { DropEventDetails } from 'live-drop';
import { DropChat, DropCountdown, DropProductCard, LiveDropPlayer } from 'live-drop/react';

export const noDrop = (
  // @ts-expect-error: the player needs its drop
  <LiveDropPlayer />
);

export const noProduct = (
  // @ts-expect-error: the card needs its product
  <DropProductCard drop="demo" />
);

export const countdownToTarget = <DropCountdown target="2026-06-01T18:00:00Z" />;

export const wrongType = (
  // @ts-expect-error: compact is a boolean
  <DropProductCard drop="demo" product="hoodie-night" compact="yes" />
);

export const wrongValue = (
  // @ts-expect-error: playback is 'auto', 'hlsjs' or 'native'
  <LiveDropPlayer drop="demo" playback="flash" />
);

export const wrongDetail = (
  <DropProductCard
    drop="demo"
    product="hoodie-night"
    // @ts-expect-error: the reserved detail has no such field
    onDropReserved={(event) => event.detail.nope}
  />
);

export const unknownEvent = (
  // @ts-expect-error: no such event
  <DropCountdown drop="demo" onDropChekout={() => {}} />
);

${everyEvent.join('\n\n')}
`;
}

describe('npm package', () => {
  let packed: PackedProject;
  let files: string[];
  let project: string;

  before(async () => {
    packed = await packedProject();
    ({ files, project } = packed);
  });
  after(() => packed?.remove());

  it('ships the script-tag bundle, the npm build with types, the manifest and editor data, and no sources', () => {
    for (const f of [
      'dist/live-drop.js',
      'dist/npm/index.js',
      'dist/npm/index.d.ts',
      'dist/npm/jsx-react.d.ts',
      'dist/npm/react.js',
      'dist/npm/react.d.ts',
      'dist/npm/jsx-preact.d.ts',
      'dist/npm/jsx-solid.d.ts',
      'dist/vscode.html-custom-data.json',
      'custom-elements.json',
      'package.json',
    ])
      assert.ok(files.includes(f), `${f} is in the tarball`);
    const strays = files.filter((f) => /^(src|server|test|demo|scripts|bench|\.data)\//.test(f));
    assert.deepEqual(strays, [], 'no sources, server, tests or data in the tarball');
  });

  it('builds the script tag as one module, with the player, hls.js, the chat, the waiting line, the German texts, the size list fallback and the reservation actions in lazy chunks beside it', () => {
    const dist = join(root, 'dist');
    const chunks = readdirSync(dist).filter((f) => /^live-drop-.*\.js$/.test(f));
    const player = chunks.find((f) => f.startsWith('live-drop-player-'));
    const hlsFile = chunks.find((f) => f.startsWith('live-drop-hls-'));
    const german = chunks.find((f) => f.startsWith('live-drop-strings-de-'));
    const float = chunks.find((f) => f.startsWith('live-drop-size-list-float-'));
    const reserving = chunks.find((f) => f.startsWith('live-drop-reservation-actions-'));
    const chat = chunks.find((f) => f.startsWith('live-drop-drop-chat-'));
    const line = chunks.find((f) => f.startsWith('live-drop-drop-line-'));
    assert.ok(
      player && hlsFile && german && float && reserving && chat && line,
      `the player, hls.js, the chat, the line, German, the size list fallback and the reservation actions beside live-drop.js: ${chunks.join(', ')}`,
    );
    // Shared by lazy chunks only: shopper-actions (the player's and the reservations'), shopper-session (the reservations', the chat's and the line's).
    const known =
      /^live-drop-(player|hls|drop-chat|drop-line|strings-de|size-list-float|reservation-actions|shopper-actions|shopper-session)-[\w-]+\.js$/;
    assert.deepEqual(
      chunks.filter((f) => !known.test(f)),
      [],
      'no chunk that nobody expects',
    );
    const main = readFileSync(join(dist, 'live-drop.js'), 'utf8');
    const playerCode = readFileSync(join(dist, player), 'utf8');
    const hls = readFileSync(join(dist, hlsFile), 'utf8');
    const hlsMarker = 'manifestLoadingTimeOut'; // an hls.js config key
    assert.ok(hls.includes(hlsMarker), 'the hls chunk is hls.js');
    assert.ok(!main.includes(hlsMarker) && !playerCode.includes(hlsMarker), 'neither live-drop.js nor the player inlines hls.js');
    assert.ok(
      main.includes('drop-product-card') && !main.includes('requestPictureInPicture') && playerCode.includes('requestPictureInPicture'),
      'live-drop.js has the card, the chunk the player',
    );
    const dynamicImport = (file: string) => new RegExp(`import\\([\`'"]\\./${file.replace(/\./g, '\\.')}[\`'"]\\)`);
    assert.match(main, dynamicImport(player), 'the player is loaded by dynamic import');
    assert.match(playerCode, dynamicImport(hlsFile), 'hls.js is loaded by dynamic import from the player');
    assert.match(main, dynamicImport(chat), 'the chat is loaded by dynamic import');
    assert.match(playerCode, dynamicImport(chat), 'the player loads the chat by dynamic import');
    assert.ok(
      !main.includes('chatSlowMode') && readFileSync(join(dist, chat), 'utf8').includes('chatSlowMode'),
      'the chat lives only in its chunk',
    );
    assert.match(main, dynamicImport(german), 'the German texts are loaded by dynamic import');
    assert.match(main, dynamicImport(reserving), 'the reservation actions are loaded by dynamic import');
    assert.match(main, dynamicImport(line), 'the waiting line is loaded by dynamic import');
    assert.ok(
      !main.includes('live-drop:shopper:'),
      'the shopper session is not in the script-tag module: a page that never reserves, chats or queues does not load it',
    );
    const floatingMarker = 'getClippingRect'; // a method of a Floating UI platform
    assert.match(main, dynamicImport(float), 'the size list fallback is loaded by dynamic import');
    assert.ok(
      !main.includes(floatingMarker) && readFileSync(join(dist, float), 'utf8').includes(floatingMarker),
      'Floating UI lives only in the fallback chunk',
    );
    assert.ok(
      !main.includes('Drop startet in') && readFileSync(join(dist, german), 'utf8').includes('Drop startet in'),
      'German lives only in its chunk',
    );
    assert.ok(!/^import\s/m.test(main) && !/\bfrom\s*["'`][^./]/.test(main), 'no bare imports: a browser loads it as is');
  });

  it('keeps the script-tag module within its 20 KB gzip budget (bench/bundle.ts prints the breakdown)', () => {
    const size = gzipSize(readFileSync(join(root, 'dist/live-drop.js')));
    assert.ok(size <= BUDGET_GZIP, `dist/live-drop.js is ${size} B gzip, ${size - BUDGET_GZIP} B over its budget of ${BUDGET_GZIP} B`);
  });

  it('imports in a fresh project: the elements register and configure() is exported', async () => {
    const script = `
      const m = await import('live-drop');
      console.log(JSON.stringify({
        configure: typeof m.configure,
        card: customElements.get('drop-product-card') === m.DropProductCard,
        countdown: typeof customElements.get('drop-countdown'),
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    assert.deepEqual(JSON.parse(stdout), { configure: 'function', card: true, countdown: 'function' });
  });

  it('registers its element per element entry point, and the main entry the player only when the page has one', async () => {
    const registered = async (entry: string) => {
      const script = `await import('${entry}');
        console.log(JSON.stringify(['drop-countdown', 'drop-product-card', 'live-drop-player'].filter((t) => customElements.get(t))));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
      return JSON.parse(stdout) as string[];
    };
    assert.deepEqual(await registered('live-drop/drop-countdown.js'), ['drop-countdown']);
    assert.deepEqual(await registered('live-drop/drop-product-card.js'), ['drop-product-card']);
    // The player shows the countdown and the featured product's card inside itself.
    assert.deepEqual(await registered('live-drop/live-drop-player.js'), ['drop-countdown', 'drop-product-card', 'live-drop-player']);
    assert.deepEqual(await registered('live-drop'), ['drop-countdown', 'drop-product-card'], 'the main entry loads the player lazily');
  });

  it('can be required from CommonJS (Node 20.19+ loads the ES module for require)', async () => {
    const script = `const m = require('live-drop'); console.log(typeof m.configure, typeof require('live-drop/drop-countdown.js').DropCountdown);`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: project });
    assert.equal(stdout.trim(), 'function function');
  });

  it('bundles with Vite into lazy chunks: the player on its own, hls.js as live-drop-hls-*.js, silent with the documented limit', async () => {
    const app = join(project, 'chunks');
    mkdirSync(app);
    writeFileSync(join(app, 'index.html'), '<script type="module" src="./main.js"></script>');
    writeFileSync(join(app, 'main.js'), "import { configure } from 'live-drop';\nconfigure({ backend: 'https://drops.example.com' });\n");
    const vite = (...args: string[]) =>
      run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--base', './', '--outDir', 'out', ...args], {
        cwd: app,
      });
    const plain = await vite();
    const assets = readdirSync(join(app, 'out/assets'));
    const hlsChunk = assets.find((f) => /^live-drop-hls-.*\.js$/.test(f));
    assert.ok(hlsChunk, `hls.js has a chunk named after live-drop: ${assets.join(', ')}`);
    assert.ok(readFileSync(join(app, 'out/assets', hlsChunk), 'utf8').includes('manifestLoadingTimeOut'), 'that chunk is hls.js');
    const player = assets.find((f) => /^live-drop-player-.*\.js$/.test(f));
    assert.ok(
      player && readFileSync(join(app, 'out/assets', player), 'utf8').includes('requestPictureInPicture'),
      'the player is a chunk of its own',
    );
    const output = plain.stdout + plain.stderr;
    assert.match(output, /larger than 500 kB/, 'without the setting Vite warns (docs/frameworks.md explains it)');
    // docs/frameworks.md: the setting that silences it.
    const docs = readFileSync(join(root, 'docs/frameworks.md'), 'utf8');
    const limit = /chunkSizeWarningLimit: (\d+)/.exec(docs)?.[1];
    assert.ok(limit, 'docs/frameworks.md names chunkSizeWarningLimit');
    writeFileSync(join(app, 'vite.config.js'), `export default { build: { chunkSizeWarningLimit: ${limit} } };\n`);
    const quiet = await vite();
    assert.doesNotMatch(quiet.stdout + quiet.stderr, /larger than/, 'the documented limit silences the warning');
  });

  it('keeps the elements when a bundler builds an app that imports only configure()', async () => {
    const app = join(project, 'bundled');
    mkdirSync(app);
    writeFileSync(join(app, 'index.html'), '<script type="module" src="./main.js"></script>');
    writeFileSync(join(app, 'main.js'), "import { configure } from 'live-drop';\nconfigure({ backend: 'https://drops.example.com' });\n");
    await viteBuild(app);
    const assets = join(app, 'out/assets');
    const code = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    for (const tag of ['drop-countdown', 'drop-product-card', 'live-drop-player'])
      assert.ok(code.includes(tag), `<${tag}> is registered in the production bundle`);
  });

  /** Copies an example into the project beside a file of misuses, and type-checks both with a tsconfig of their own. */
  async function typecheck(name: string, example: string, misuse: string | null, options: Record<string, unknown> = {}) {
    mkdirSync(join(project, name), { recursive: true });
    copyFileSync(join(root, example), join(project, name, example.split('/').pop()!));
    if (misuse) writeFileSync(join(project, name, example.endsWith('.tsx') ? 'misuse.tsx' : 'misuse.ts'), misuse);
    const config = join(project, `tsconfig.${name}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, include: [`${name}/**/*`] }));
    try {
      await run(process.execPath, [tsc, '-p', config], { cwd: project });
    } catch (err) {
      assert.fail(`${name} does not type-check:\n${(err as { stdout: string }).stdout}`);
    }
  }

  it('type-checks the TypeScript example (configure, element classes, typed events) and rejects misuse', () =>
    typecheck('typescript', 'examples/typescript/main.ts', misuseTs));

  it('type-checks the React example; its JSX types reject wrong attribute types, values and event details', () =>
    typecheck('react', 'examples/react/main.tsx', misuseJsx('jsx-react', 'ondrop-reserved'), { jsx: 'react-jsx' }));

  it('type-checks the live-drop/react example; the components require drop (and product), and type every event prop with its detail', () =>
    typecheck('react-components', 'examples/react-components/main.tsx', misuseReact(), { jsx: 'react-jsx' }));

  it('type-checks the Vue example', () => typecheck('vue', 'examples/vue/main.ts', null));

  it('type-checks the Preact example; its JSX types reject wrong attribute types, values and event details', () =>
    typecheck('preact', 'examples/preact/main.tsx', misuseJsx('jsx-preact', 'ondrop-reserved'), {
      jsx: 'react-jsx',
      jsxImportSource: 'preact',
    }));

  it('type-checks the Solid example; its JSX types reject wrong attribute types, values and event details', () =>
    typecheck('solid', 'examples/solid/main.tsx', misuseJsx('jsx-solid', 'on:drop-reserved'), {
      jsx: 'preserve',
      jsxImportSource: 'solid-js',
    }));
});
