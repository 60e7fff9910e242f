/**
 * bundle: what a page pays to load live-drop, min+gzip and brotli.
 *   npm run build && node --import tsx bench/bundle.ts
 * Rows: the script-tag module (budget 20 KB gzip, hls.js excluded), each lazy
 * chunk with who fetches it (and the module plus the size list's Floating UI
 * fallback, what a browser without CSS anchor positioning loads), and a page that uses only <drop-countdown> and <drop-product-card>
 * (built here from a two-import entry, so tree-shaking shows what the player costs).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'vite';
import { minify, templateMinifiers } from '../vite.config.js';
import { BUDGET_GZIP, gzipSize } from './lib/budget.js';
import { bundleBreakdown } from './lib/bundle-breakdown.js';
import { printTable } from './lib/table.js';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

const sizes = (code: Buffer) => ({
  min: code.length,
  gzip: gzipSize(code),
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (!existsSync(join(dist, 'live-drop.js'))) {
  console.error('bench/bundle: dist/live-drop.js is missing; run `npm run build` first.');
  process.exit(1);
}

const rows: { name: string; min: number; gzip: number; brotli: number; budget?: number }[] = [];
/** Who fetches each lazy chunk: only pages and browsers that need it. */
const fetchedBy: [RegExp, string][] = [
  [/^live-drop-hls-/, 'player, where MSE plays HLS'],
  [/^live-drop-player-/, 'pages with a player'],
  [/^live-drop-drop-chat-/, 'pages with a chat or a player'],
  [/^live-drop-strings-/, 'pages in that language'],
  [/^live-drop-size-list-float-/, 'browsers without CSS anchor positioning'],
];
const entry = {
  name: 'dist/live-drop.js (script tag, no hls.js)',
  ...sizes(readFileSync(join(dist, 'live-drop.js'))),
  budget: BUDGET_GZIP,
};
rows.push(entry);
for (const f of readdirSync(dist).filter((f) => f.startsWith('live-drop-') && f.endsWith('.js'))) {
  const chunk = {
    name: `dist/${f} (lazy: ${fetchedBy.find(([re]) => re.test(f))?.[1] ?? 'chunk'})`,
    ...sizes(readFileSync(join(dist, f))),
  };
  rows.push(chunk);
  // Browsers from before Baseline 2026 also fetch the Floating UI fallback as a card connects: show what they pay too.
  if (f.startsWith('live-drop-size-list-float-')) {
    rows.push({
      name: '  script tag + that chunk (older browsers, pages with a card)',
      min: entry.min + chunk.min,
      gzip: entry.gzip + chunk.gzip,
      brotli: entry.brotli + chunk.brotli,
      budget: BUDGET_GZIP,
    });
  }
}

// A page with only the countdown and the cards: bundle an entry that imports just those two.
const tmp = mkdtempSync(join(tmpdir(), 'live-drop-bench-'));
try {
  const entry = join(tmp, 'entry.ts');
  const el = (name: string) => join(root, 'src/elements', name, `${name}.js`).replace(/\\/g, '/');
  writeFileSync(entry, `import '${el('drop-countdown')}';\nimport '${el('drop-product-card')}';\n`);
  const out = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    // The same minifiers (templates and code) as vite.config.ts, so this page is built like the script-tag module.
    plugins: templateMinifiers(),
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      ...minify,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: 'page' },
      rolldownOptions: { output: { minify: true, comments: { annotation: false } } },
    },
  });
  // What the page loads: the entry chunk and the chunks it imports statically (lit and the core may be split out
  // into a chunk shared with the lazy ones); language packs and other lazy chunks are fetched only when needed.
  type Chunk = { type: string; fileName: string; isEntry?: boolean; code?: string; imports?: string[] };
  const outputs = (Array.isArray(out) ? out : [out]) as { output: Chunk[] }[];
  const chunks = new Map(
    outputs
      .flatMap((o) => o.output)
      .filter((c) => c.type === 'chunk')
      .map((c) => [c.fileName, c]),
  );
  const loaded = new Set<string>();
  const load = (name: string) => {
    if (loaded.has(name)) return;
    loaded.add(name);
    for (const dep of chunks.get(name)?.imports ?? []) load(dep);
  };
  for (const c of chunks.values()) if (c.isEntry) load(c.fileName);
  const code = [...loaded].map((name) => chunks.get(name)?.code ?? '').join('\n');
  rows.push({ name: 'page with countdown + product card only (English)', ...sizes(Buffer.from(code)) });
} catch (err) {
  console.error(`bench/bundle: could not build the countdown+card page: ${(err as Error).message}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

printTable(
  'bundle sizes (minified; gzip -9; brotli q11)',
  ['what', 'min', 'gzip', 'brotli', 'budget (gzip)'],
  rows.map((r) => [
    r.name,
    kb(r.min),
    kb(r.gzip),
    kb(r.brotli),
    r.budget ? `${kb(r.budget)} ${r.gzip <= r.budget ? `ok, ${r.budget - r.gzip} B under` : `OVER by ${r.gzip - r.budget} B`}` : '',
  ]),
);

// Where the script-tag module's bytes come from, so a budget discussion starts from figures.
const mapFile = join(dist, 'live-drop.js.map');
if (existsSync(mapFile)) {
  const rows = bundleBreakdown(readFileSync(join(dist, 'live-drop.js'), 'utf8'), JSON.parse(readFileSync(mapFile, 'utf8')));
  printTable(
    'dist/live-drop.js by source (gzip: what leaving the group out would save)',
    ['group', 'min', 'gzip'],
    rows.map((r) => [r.group, kb(r.min), kb(r.gzip)]),
  );
}
