/**
 * `<live-drop-player>` (and, through it, hls.js) and `<drop-chat>` are lazy
 * chunks in both builds, each fetched the first time the page contains its
 * element, so a page with only countdowns and cards pays for neither.
 * (`live-drop/live-drop-player.js` and `live-drop/drop-chat.js` register them eagerly, e.g. for server rendering.)
 */
import { isServer } from 'lit';

const chunks: Record<string, () => Promise<unknown>> = {
  'live-drop-player': () => import('./elements/live-drop-player/live-drop-player.js'),
  'drop-chat': () => import('./elements/drop-chat/drop-chat.js'),
};
const loading: Record<string, Promise<unknown>> = {};
const load = (tag: string) => (loading[tag] ??= chunks[tag]());

/** Loads and registers `<live-drop-player>` now; for players created inside other shadow roots. */
export const loadPlayer = (): Promise<unknown> => load('live-drop-player');

/** Loads and registers `<drop-chat>` now; for chats created inside other shadow roots. */
export const loadChat = (): Promise<unknown> => load('drop-chat');

const scan = (node: ParentNode) => {
  for (const tag in chunks) if ((node as Element).localName === tag || node.querySelector(tag)) void load(tag);
};

// A server has no page to watch: server rendering imports the elements' own modules itself.
if (!isServer) {
  scan(document);
  new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => n instanceof Element && scan(n)))).observe(
    document,
    {
      childList: true,
      subtree: true,
    },
  );
}
