/**
 * <live-drop-player> when the drop's events and its own renders do not keep
 * pace: a featured clear that reaches the viewer seconds after the host made
 * it, and reaction events that pile up while the player renders late. The
 * store keeps what the server said (the clear's moment, every reaction), so
 * nothing depends on when the page happened to look. Real server, real
 * Chromium, real media; the proxy only slows the event stream down.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/elements/live-drop-player/live-drop-player.js';
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';
import { sendReaction } from '../../src/core/shopper-actions.js';
import { clientRoutes, joinUrl, routes } from '../../src/protocol/routes.js';
import type { Drop, DropEventMap, DropEventType } from '../../src/protocol/types.js';
import { testBackend, type TestBackend } from '../helpers/backend.js';
import { hostCall } from '../helpers/host-api.js';
import { $, advances, until, video } from '../helpers/player.js';

let backend: TestBackend;
let seq = 0;

/** How late the proxy delivers the event stream. */
const DELAY_MS = 3000;

before(async () => {
  backend = await testBackend();
});

const createDrop = () =>
  hostCall<Drop>(backend, 'POST', routes.host.drops(), {
    id: `late-${Date.now().toString(36)}-${++seq}`,
    title: 'Night Shift live',
    startsAt: Date.now() - 1000,
    stream: { hls: 'stream/live.m3u8', poster: 'stream/poster.jpg' },
    products: [
      {
        id: 'hoodie',
        title: 'Night Shift Hoodie',
        images: [],
        prices: [{ currency: 'EUR', amount: 4900 }],
        variants: [{ id: 'm', label: 'M', stock: 10 }],
      },
    ],
  });

const player = (drop: Drop, backendUrl: string) =>
  fixture<LiveDropPlayer>(html`<live-drop-player backend=${backendUrl} drop=${drop.id} playback="hlsjs"></live-drop-player>`);

/** The drop's events of one type as the server sends them, on a connection of the test's own (not delayed). */
function serverEvents<K extends DropEventType>(dropId: string, type: K) {
  const seen: DropEventMap[K][] = [];
  const source = new EventSource(joinUrl(backend.url, clientRoutes.events(dropId)));
  source.addEventListener(type, (e) => seen.push(JSON.parse((e as MessageEvent<string>).data)));
  return { seen, opened: until('the test stream opens', () => source.readyState === EventSource.OPEN), close: () => source.close() };
}

/** Resolves with the playhead at the render that takes the card of `productId` out. */
function cardGoes(el: LiveDropPlayer, productId: string, timeoutMs = 30_000): Promise<number | null> {
  const selector = `drop-product-card[product="${productId}"]`;
  return new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if ($(el, selector)) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(el.playheadTime);
    });
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`the card of ${productId} stayed for ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

describe('<live-drop-player> with late events', () => {
  it("takes the product off when the playhead reaches the host's clear, though the clear reached the viewer seconds late", async function () {
    this.timeout(90_000);
    const proxy = await executeServerCommand<{ id: string; url: string }, { target: string }>('fault-proxy:start', { target: backend.url });
    try {
      await executeServerCommand('fault-proxy:delay-answers', { id: proxy.id, path: '/events', ms: DELAY_MS });
      const drop = await createDrop();
      const featured = serverEvents(drop.id, 'featured');
      await featured.opened;
      const el = await player(drop, proxy.url);
      await advances(el, 1);
      await hostCall(backend, 'POST', routes.host.feature(drop.id), { productId: 'hoodie' });
      await until('the card', () => $(el, 'drop-product-card[product="hoodie"]'), 30_000);

      // The viewer pauses, so the frame on screen is from before the clear while the late clear comes in.
      video(el).pause();
      await hostCall(backend, 'POST', routes.host.feature(drop.id), { productId: null });
      const clear = await until('the clear, on time', () => featured.seen.find((f) => f.productId === null));
      featured.close();
      await new Promise((r) => setTimeout(r, DELAY_MS + 1000));
      expect($(el, 'drop-product-card[product="hoodie"]'), 'the clear is not on screen yet').to.exist;

      const gone = cardGoes(el, 'hoodie');
      await video(el).play();
      const playhead = await gone;
      console.log(`card taken off at playhead − clear.at = ${playhead! - clear.at} ms (the clear arrived ${DELAY_MS} ms late)`);
      expect(playhead! - clear.at, "at the server's moment of the clear, not when it arrived").to.be.within(0, 600);
    } finally {
      await executeServerCommand('fault-proxy:stop', { id: proxy.id });
    }
  });

  it('counts every reaction, however many events arrived while the player did not render', async function () {
    this.timeout(40_000);
    const drop = await createDrop();
    const reactions = serverEvents(drop.id, 'reactions');
    await reactions.opened;
    const el = await player(drop, backend.url);
    await until('the heart button', () => $(el, '[part~="react"]'));
    await until('the stream', () => el.state === 'live');

    // The player's renders are held back, as on a busy page: events pile up meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const scheduleUpdate = Object.getPrototypeOf(el).scheduleUpdate as () => unknown;
    Object.defineProperty(el, 'scheduleUpdate', { configurable: true, value: () => held.then(() => scheduleUpdate.call(el)) });
    try {
      for (const batch of [2, 3]) {
        const before = reactions.seen.length;
        for (let i = 0; i < batch; i++) await sendReaction(backend.url, drop.id, 'heart');
        await until('the reactions event', () => reactions.seen.length > before);
      }
      // And on to the player's own stream, as the test's came in.
      await new Promise((r) => setTimeout(r, 500));
      expect(reactions.seen.length, 'events').to.be.at.least(2);
      expect(reactions.seen.reduce((sum, r) => sum + (r.counts.heart ?? 0), 0)).to.equal(5);
    } finally {
      reactions.close();
      release();
      Reflect.deleteProperty(el, 'scheduleUpdate');
    }
    // Every heart once: 5, not just the last event's 3.
    await until('the count', () => $(el, '.react .count'), 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect($(el, '.react .count')!.textContent).to.equal('5');
  });
});
