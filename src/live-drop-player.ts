/**
 * `import 'live-drop/live-drop-player.js'` registers `<live-drop-player>` now
 * (hls.js stays a lazy chunk of it). The main entry loads the player lazily instead.
 */
export { LiveDropPlayer, type PlayerState } from './elements/live-drop-player/live-drop-player.js';
