import { readdirSync, rmSync } from 'node:fs';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { minifyLitCssPlugin } from './scripts/minify-lit-css.js';

/** dist/ is shared with the npm build, so it is not emptied; old hashed chunks are removed here instead. */
function removeStaleChunks(): Plugin {
  return {
    name: 'live-drop:remove-stale-chunks',
    apply: 'build',
    buildStart() {
      let files: string[];
      try {
        files = readdirSync('dist');
      } catch {
        return; // no dist yet
      }
      for (const f of files) if (/^live-drop-.+\.js(\.map)?$/.test(f)) rmSync(`dist/${f}`);
    },
  };
}

/**
 * The minifiers of the markup and styles inside templates (bench/bundle.ts builds with them too).
 * html`…`: Lit's own (@lit-labs/rollup-plugin-minify-html-literals). css`…`: ours first, because it also
 * shortens the private `--_x` custom properties (Lit's alone leaves dist/live-drop.js 63 B larger, over its
 * budget); Lit's then finds the CSS already minified.
 */
export function templateMinifiers(): Plugin[] {
  // It is a Rollup plugin with only a transform hook; Vite's Plugin type differs in hooks it does not have.
  // keepClosingSlash: in svg`…` templates `<path …/>` must stay self-closing, or the next shape becomes its child
  // and is not drawn (the player's eye icon lost its pupil without it).
  const lit = minifyHtmlLiterals({ include: ['src/**/*.ts'], failOnError: true, options: { minifyOptions: { keepClosingSlash: true } } });
  return [minifyLitCssPlugin(), { name: lit.name, enforce: 'pre', transform: lit.transform as unknown as Plugin['transform'] }];
}

/**
 * How the script-tag build minifies its code (bench/bundle.ts builds with it too): terser's compressor (two passes,
 * the chunk as one ES module) rewrites the code, then Rolldown's own minifier (Oxc) compresses again, mangles and
 * prints it. Each finds what the other leaves: dist/live-drop.js came out about 145 B gzip smaller than with Oxc
 * alone and 300 B smaller than with terser alone (measured for issue 18; terser's passes 1–3 measured alike).
 */
export const minify = {
  minify: 'terser',
  terserOptions: { module: true, toplevel: true, compress: { passes: 2 }, mangle: false, format: { comments: false } },
} satisfies UserConfig['build'];

/**
 * The script-tag build: `dist/live-drop.js`, one ES module with lit and
 * nanostores inlined. Beside it, lazy chunks that only some pages fetch: the
 * player (pages with one), hls.js (players where MSE plays HLS), German
 * strings, and Floating UI (browsers without CSS anchor positioning).
 * (The npm build is plain `tsc`, see tsconfig.build.json.)
 */
export default defineConfig({
  plugins: [removeStaleChunks(), ...templateMinifiers()],
  // Library mode leaves `process.env.NODE_ENV` (nanostores' dev checks) alone,
  // but a script tag has no bundler after us to replace it: this is the production build.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    ...minify,
    sourcemap: true,
    lib: {
      entry: 'src/live-drop.ts',
      formats: ['es'],
      fileName: () => 'live-drop.js',
    },
    rolldownOptions: {
      // Lets the entry export what the lazy player chunk shares with it, instead of
      // moving the shared code into a third chunk behind a facade.
      preserveEntrySignatures: 'allow-extension',
      // terser takes most of the build's few seconds (hls.js is large): expected, not worth a warning on every build.
      checks: { pluginTimings: false },
      output: {
        chunkFileNames: ({ name }) => (name.startsWith('live-drop') ? '[name]-[hash].js' : 'live-drop-[name]-[hash].js'),
        // Library mode keeps whitespace in ES output for the next bundler's
        // tree-shaking; nothing tree-shakes a script tag, so minify it fully.
        minify: true,
        // `/* @__PURE__ */` marks are for a next bundler's tree-shaking; a script tag has none.
        comments: { annotation: false },
      },
    },
  },
});
