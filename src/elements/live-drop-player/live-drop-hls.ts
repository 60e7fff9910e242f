/**
 * hls.js, imported dynamically by the player: this module gives the lazy chunk
 * its name in every bundler (`live-drop-hls-[hash].js`), so an application
 * that bundles live-drop can tell what the ~600 kB chunk is (docs/frameworks.md).
 */
export { default } from 'hls.js';
