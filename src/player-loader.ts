/**
 * Script-tag build only: `<live-drop-player>` (and, through it, hls.js) is a
 * lazy chunk, fetched the first time the page contains the element, so a page
 * with only countdowns and cards does not pay for the player.
 * Applications importing `live-drop` get the player registered eagerly instead.
 */
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
if (document.querySelector(TAG)) {
  void loadPlayer();
} else {
  observer = new MutationObserver((records) => {
    if (records.some((r) => [...r.addedNodes].some(contains))) void loadPlayer();
  });
  observer.observe(document, { childList: true, subtree: true });
}
