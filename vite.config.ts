import { defineConfig } from 'vite';

/**
 * The script-tag build: `dist/live-drop.js`, one ES module with lit,
 * nanostores and Floating UI inlined. hls.js is the only other file: a lazy
 * chunk beside it, fetched by the player only when the browser needs it.
 * (The npm build is plain `tsc`, see tsconfig.build.json.)
 */
export default defineConfig({
  // Library mode leaves `process.env.NODE_ENV` (nanostores' dev checks) alone,
  // but a script tag has no bundler after us to replace it: this is the production build.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: {
      entry: 'src/live-drop.ts',
      formats: ['es'],
      fileName: () => 'live-drop.js',
    },
    rolldownOptions: {
      output: {
        chunkFileNames: 'live-drop-[name]-[hash].js',
        // Library mode keeps whitespace in ES output for the next bundler's
        // tree-shaking; nothing tree-shakes a script tag, so minify it fully.
        minify: true,
      },
    },
  },
});
