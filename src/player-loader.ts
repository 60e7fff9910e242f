/**
 * `<live-drop-player>` (and, through it, hls.js) is a lazy chunk in both
 * builds, fetched the first time the page contains the element, so a page
 * with only countdowns and cards does not pay for the player.
 * (`live-drop/live-drop-player.js` registers it eagerly, e.g. for server rendering.)
 */
import { isServer } from 'lit';

const TAG = 'live-drop-player';
let loading: Promise<unknown> | undefined;

/** Loads and registers `<live-drop-player>` now; for players created inside other shadow roots. */
export function loadPlayer(): Promise<unknown> {
  observer?.disconnect();
  return (loading ??= import('./elements/live-drop-player/live-drop-player.js'));
}

const contains = (node: Node) =>
  node instanceof Element && (node.localName === TAG || node.querySelector(TAG) !== null);

let observer: MutationObserver | undefined;
// A server has no page to watch: server rendering imports live-drop/live-drop-player.js itself.
if (!isServer && document.querySelector(TAG)) {
  void loadPlayer();
} else if (!isServer) {
  observer = new MutationObserver((records) => {
    if (records.some((r) => [...r.addedNodes].some(contains))) void loadPlayer();
  });
  observer.observe(document, { childList: true, subtree: true });
}
