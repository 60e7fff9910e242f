import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/elements/live-drop-player/live-drop-player.js';
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';
import { configure } from '../../src/core/config.js';
import { routes } from '../../src/protocol/routes.js';
import type { Drop, DropInput, FeaturedProduct } from '../../src/protocol/types.js';
import { testBackend, type TestBackend } from '../helpers/backend.js';
import { hostCall } from '../helpers/host-api.js';
import { $, advances, until, video } from '../helpers/player.js';

// ------------------------------------------------------------ fixtures

let backend: TestBackend;
let seq = 0;

const host = <T>(method: string, path: string, body?: unknown) => hostCall<T>(backend, method, path, body);

const product = (id: string, title: string) => ({
  id,
  title,
  images: [],
  prices: [{ currency: 'EUR', amount: 4900 }],
  variants: [{ id: 'm', label: 'M', stock: 10 }],
});

/** A drop on the reference server playing its simulated stream; live now unless `startsAt` says otherwise. */
function createDrop(input: Partial<DropInput> = {}): Promise<Drop> {
  return host<Drop>('POST', routes.host.drops(), {
    id: `player-${Date.now().toString(36)}-${++seq}`,
    title: 'Night Shift live',
    brand: 'KAIRO',
    startsAt: Date.now() - 1000,
    stream: { hls: 'stream/live.m3u8', poster: 'stream/poster.jpg' },
    products: [product('hoodie', 'Night Shift Hoodie'), product('tee', 'Signal Tee')],
    ...input,
  });
}

const feature = (dropId: string, productId: string | null) =>
  host<FeaturedProduct | null>('POST', routes.host.feature(dropId), { productId });

/**
 * Waits for the card of `productId` to appear and reads the playhead's
 * program date-time at that very moment (a MutationObserver fires right
 * after the render that inserted it).
 */
function cardAppears(el: LiveDropPlayer, productId: string, timeoutMs = 40_000): Promise<{ playhead: number | null; since: number }> {
  const started = performance.now();
  const selector = `drop-product-card[product="${productId}"]`;
  return new Promise((resolve, reject) => {
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve({ playhead: el.playheadTime, since: performance.now() - started });
    };
    const observer = new MutationObserver(() => $(el, selector) && done());
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`the card of ${productId} did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    if ($(el, selector)) done();
  });
}

const player = (drop: Drop, playback = 'auto', backendUrl = backend.url) =>
  fixture<LiveDropPlayer>(html`<live-drop-player backend=${backendUrl} drop=${drop.id} playback=${playback}></live-drop-player>`);

before(async () => {
  backend = await testBackend();
});

// ------------------------------------------------------------ playback

describe('<live-drop-player> playback', () => {
  it('starts muted and plays the live stream through hls.js where Media Source Extensions exist', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(), 'hlsjs');
    await advances(el, 1.5);
    expect(el.engine).to.equal('hlsjs');
    expect(video(el).muted).to.be.true;
    expect(video(el).playsInline).to.be.true;
    expect(el.state).to.equal('live');
    expect($(el, '[part~="unmute"]')).to.exist;
  });

  it('plays the live stream natively when forced to (as on Safari without MSE)', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(), 'native');
    await advances(el, 1.5);
    expect(el.engine).to.equal('native');
    expect(video(el).muted).to.be.true;
  });

  it('picks hls.js by capability in auto mode, although this browser also says it can play HLS natively', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop());
    await advances(el, 0.5);
    expect(el.engine).to.equal('hlsjs');
  });

  it('knows which wall-clock moment is on screen, a few seconds behind the server', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(), 'hlsjs');
    await advances(el, 0.5);
    const behind = Date.now() - el.playheadTime!;
    expect(behind).to.be.within(1000, 20_000);
  });

  it('offers to jump back to live once the viewer falls behind, and catches up when asked', async function () {
    this.timeout(60_000);
    const el = await player(await createDrop(), 'hlsjs');
    await advances(el, 0.3);
    video(el).pause();
    const goLive = await until('the jump-to-live button', () => $(el, 'button[part~="live-badge"]'), 30_000);
    expect(goLive.getAttribute('aria-label')).to.equal('Behind live. Jump to live');
    const behindAt = el.playheadTime!;
    await until('well behind', () => Date.now() - behindAt > 9000, 15_000);
    goLive.click();
    await until('back at live', () => !$(el, 'button[part~="live-badge"]') && !video(el).paused, 20_000);
    expect(el.playheadTime! - behindAt).to.be.above(4000);
  });

  it('offers an obvious tap-to-unmute while playing muted', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(), 'hlsjs');
    await advances(el, 0.2);
    const unmute = await until('the tap-to-unmute prompt', () => $(el, '[part~="unmute"]'));
    expect(unmute.textContent).to.contain('Tap to unmute');
    // It pops in from 60 % scale: measure the size it settles at, not a frame of the entrance.
    await Promise.all(unmute.getAnimations().map((a) => a.finished));
    expect(unmute.getBoundingClientRect().height).to.be.above(30);
  });

  for (const engine of ['hlsjs', 'native']) {
    it(`unmutes with sound and keeps playing, and M mutes again (${engine})`, async function () {
      this.timeout(40_000);
      const el = await player(await createDrop(), engine);
      await advances(el, 0.2);
      (await until('the tap-to-unmute prompt', () => $(el, '[part~="unmute"]'))).click();
      await el.updateComplete;
      expect(video(el).muted).to.be.false;
      expect(video(el).volume).to.be.above(0);
      // Sound on must not stall playback (it did once in a headless Chromium without an audio device).
      await advances(el, 2, 15_000);
      expect($(el, '[part~="unmute"]'), 'the tap-to-unmute prompt is gone').to.not.exist;
      expect($(el, '[aria-label="Mute"]'), 'the mute button now offers to mute').to.exist;

      ($(el, '[aria-label="Mute"]') as HTMLElement).focus();
      await sendKeys({ press: 'm' });
      await until('muted again', () => video(el).muted);
      await el.updateComplete;
      expect($(el, '[aria-label="Unmute"]')).to.exist;
      expect(video(el).paused).to.be.false;
    });
  }
});

// ------------------------------------------------------------ states

describe('<live-drop-player> states', () => {
  it('turns scheduled → live → ended without a reload, as the host starts and ends the show', async function () {
    this.timeout(60_000);
    const drop = await createDrop({ startsAt: Date.now() + 3600_000 });
    const el = await player(drop, 'hlsjs');
    await until('scheduled', () => el.state === 'scheduled');
    expect($(el, 'drop-countdown')).to.exist;
    expect($(el, '[part="poster"]')).to.exist;
    expect(el.shadowRoot!.textContent).to.contain('Night Shift live');

    await host('POST', routes.host.start(drop.id));
    await until('live', () => el.state === 'live');
    await advances(el, 1);

    await host('POST', routes.host.end(drop.id));
    await until('ended', () => el.state === 'ended');
    await el.updateComplete;
    expect(el.engine).to.equal(null, 'the live stream was stopped');
    const replay = await until('the replay button', () => $(el, '.message .pill.primary'));
    expect(replay.textContent).to.contain('Watch the replay');
  });

  it('shows the stream as offline and keeps retrying while the stream is not there', async function () {
    this.timeout(30_000);
    const el = await player(await createDrop({ stream: { hls: 'stream/not-yet.m3u8' } }), 'hlsjs');
    await until('offline', () => el.state === 'offline', 20_000);
    await el.updateComplete;
    expect($(el, '[part="message"]')!.textContent).to.match(/Stream offline/);
    expect($(el, '[part="message"]')!.textContent).to.match(/Trying again in \d+ s/);
  });

  it('speaks German when the page does', async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    await host('POST', routes.host.end(drop.id));
    const el = await fixture<LiveDropPlayer>(html`<live-drop-player lang="de" backend=${backend.url} drop=${drop.id}></live-drop-player>`);
    await until('ended', () => el.state === 'ended');
    await el.updateComplete;
    const message = $(el, '[part="message"]')!.textContent!;
    expect(message).to.contain('Die Show ist vorbei');
    expect(message).to.contain('Aufzeichnung ansehen');
  });

  it("takes the site's text overrides, and an override of the card's 'ended' text does not reach the player", async function () {
    this.timeout(30_000);
    const drop = await createDrop();
    await host('POST', routes.host.end(drop.id));
    configure({ strings: { 'en-GB': { showEnded: 'That was the show', ended: 'Card text only' } } });
    try {
      const el = await fixture<LiveDropPlayer>(
        html`<live-drop-player lang="en-GB" backend=${backend.url} drop=${drop.id}></live-drop-player>`,
      );
      await until('ended', () => el.state === 'ended');
      await el.updateComplete;
      const message = $(el, '[part="message"]')!.textContent!;
      expect(message).to.contain('That was the show');
      expect(message).not.to.contain('Card text only');
    } finally {
      configure({ strings: { 'en-GB': { showEnded: undefined, ended: undefined } } });
    }
  });

  it('says what is wrong when the drop does not exist', async function () {
    const el = await fixture<LiveDropPlayer>(html`<live-drop-player backend=${backend.url} drop="no-such-drop"></live-drop-player>`);
    await until('error', () => el.state === 'error', 8000);
    await el.updateComplete;
    expect($(el, '[role="alert"]')!.textContent).to.contain('could not be found');
  });
});

// ------------------------------------------------------------ products in step with the video

describe('<live-drop-player> products in step with the video', () => {
  it('holds a featured product until the playhead reaches the moment it was featured, live and in the replay', async function () {
    this.timeout(120_000);
    const drop = await createDrop();
    const el = await player(drop, 'hlsjs');
    await advances(el, 1);

    const first = (await feature(drop.id, 'hoodie'))!;
    const shown = await cardAppears(el, 'hoodie');
    const offset = shown.playhead! - first.at;
    console.log(`live: card shown ${shown.since.toFixed(0)} ms after the feature call, playhead − at = ${offset} ms`);
    expect(offset, 'never before the moment is on screen').to.be.at.least(0);
    expect(offset, 'and promptly once it is').to.be.below(600);
    expect(shown.since, 'the viewer is seconds behind the server: the card waited').to.be.above(1000);

    const second = (await feature(drop.id, 'tee'))!;
    const shownSecond = await cardAppears(el, 'tee');
    expect(shownSecond.playhead! - second.at).to.be.within(0, 600);
    expect($(el, 'drop-product-card[product="hoodie"]'), 'one card at a time').to.not.exist;

    await host('POST', routes.host.end(drop.id));
    await until('ended', () => el.state === 'ended');
    const replayButton = await until('the replay button', () => $(el, '.message .pill.primary'));
    replayButton.click();
    const replayed = await cardAppears(el, 'hoodie', 60_000);
    const replayOffset = replayed.playhead! - first.at;
    console.log(`replay: playhead − at = ${replayOffset} ms`);
    expect(replayOffset, 'the replay shows it at the same stream position').to.be.within(0, 600);

    // The product list jumps to the moment the tee was shown.
    const chapters = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="chapter"]');
    expect(chapters.length).to.equal(2);
    chapters[1].click();
    const jumped = await cardAppears(el, 'tee', 30_000);
    expect(jumped.playhead! - second.at).to.be.within(0, 2500);
  });

  it('shows the product on arrival when the playhead has no program date-time (native HLS in Chromium)', async function () {
    this.timeout(40_000);
    const drop = await createDrop();
    const el = await player(drop, 'native');
    await advances(el, 0.5);
    expect(el.playheadTime, 'Chromium has no HTMLMediaElement.getStartDate()').to.equal(null);
    await feature(drop.id, 'hoodie');
    const shown = await cardAppears(el, 'hoodie', 10_000);
    expect(shown.since).to.be.below(5000);
  });

  it('shows a product featured before the viewer arrived at once, when it is already on screen', async function () {
    this.timeout(40_000);
    const drop = await createDrop();
    await feature(drop.id, 'tee');
    await new Promise((r) => setTimeout(r, 500));
    const el = await player(drop, 'hlsjs');
    // The playhead starts a few seconds behind the server: the tee is not on screen until it catches up.
    const shown = await cardAppears(el, 'tee');
    expect(shown.playhead).to.not.equal(null);
  });
});

// ------------------------------------------------------------ recovery

interface Proxy {
  id: string;
  url: string;
}

describe('<live-drop-player> recovery', () => {
  for (const engine of ['hlsjs', 'native']) {
    it(`recovers by itself after the network is cut and comes back (${engine})`, async function () {
      this.timeout(120_000);
      const proxy = await executeServerCommand<Proxy, { target: string }>('fault-proxy:start', { target: backend.url });
      try {
        const el = await player(await createDrop(), engine, proxy.url);
        await advances(el, 1);
        await executeServerCommand('fault-proxy:refuse', { id: proxy.id });
        await until('offline', () => el.state === 'offline', 40_000);
        await executeServerCommand('fault-proxy:restore', { id: proxy.id });
        await until('live again', () => el.state === 'live', 40_000);
        await advances(el, 1.5, 40_000);
      } finally {
        await executeServerCommand('fault-proxy:stop', { id: proxy.id });
      }
    });
  }
});

// ------------------------------------------------------------ reactions

describe('<live-drop-player> reactions', () => {
  it("floats one viewer's hearts up on another viewer's player", async function () {
    this.timeout(40_000);
    const drop = await createDrop();
    // A second backend URL for the same server gives the second player its own connection: another client.
    const proxy = await executeServerCommand<Proxy, { target: string }>('fault-proxy:start', { target: backend.url });
    try {
      const sender = await player(drop, 'hlsjs');
      const receiver = await player(drop, 'hlsjs', proxy.url);
      await until('both play', () => sender.engine && receiver.engine && !video(receiver).paused);
      await until('the heart button', () => $(sender, '[part~="react"]'));
      let sent = 0;
      const events: string[] = [];
      sender.addEventListener('drop-reaction', (e) => events.push(e.detail.kind));
      for (; sent < 3; sent++) $(sender, '[part~="react"]')!.click();
      expect(events).to.deep.equal(['heart', 'heart', 'heart']);
      await until('the receiver counts them', () => /\d/.test($(receiver, '.react .count')?.textContent ?? ''), 20_000);
      expect(Number($(receiver, '.react .count')!.textContent)).to.be.at.least(1);
      expect(receiver.shadowRoot!.querySelectorAll('.bubble').length).to.be.within(1, 24);
    } finally {
      await executeServerCommand('fault-proxy:stop', { id: proxy.id });
    }
  });
});

// ------------------------------------------------------------ accessibility

describe('<live-drop-player> reduced motion', () => {
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('floats no reactions when the visitor asks for reduced motion, and still counts them', async function () {
    this.timeout(40_000);
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await player(await createDrop(), 'hlsjs');
    const heart = await until('the heart button', () => $(el, '[part~="react"]'));
    heart.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('.bubble').length).to.equal(0);
    expect($(el, '.react .count')!.textContent).to.equal('1');
  });
});

describe('<live-drop-player> accessibility', () => {
  it('is operable by keyboard: every control is reachable, labelled, and Space and K play and pause', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(), 'hlsjs');
    await advances(el, 0.3);
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLElement>('button, input')];
    for (const b of buttons) expect(b.getAttribute('aria-label') || b.textContent!.trim(), b.outerHTML).to.not.be.empty;

    // Tab from the page into the player reaches its controls.
    const reached: string[] = [];
    const outlines: string[] = [];
    for (let i = 0; i < buttons.length + 1; i++) {
      await sendKeys({ press: 'Tab' });
      // The control itself, also inside the player's chat (its own shadow root).
      let focused = el.shadowRoot!.activeElement as HTMLElement | null;
      while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement as HTMLElement;
      if (!focused) continue;
      reached.push(focused.getAttribute('aria-label') ?? focused.textContent!.trim());
      outlines.push(getComputedStyle(focused).outlineStyle);
    }
    expect(reached).to.include.members(['Pause', 'Unmute', 'Volume', 'Full screen']);
    expect(
      outlines.filter((o) => o === 'none'),
      'focus is visible on every control',
    ).to.be.empty;

    (el.shadowRoot!.querySelector('[aria-label="Pause"]') as HTMLElement).focus();
    await sendKeys({ press: 'Space' });
    await until('paused', () => video(el).paused);
    await sendKeys({ press: 'k' });
    await until('playing', () => !video(el).paused);
  });

  it('hides the controls while playing untouched and brings them back on interaction', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(), 'hlsjs');
    await advances(el, 0.3);
    (document.activeElement as HTMLElement | null)?.blur();
    await until('controls hidden', () => el.controlsHidden, 15_000);
    el.dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
    await until('controls shown', () => !el.controlsHidden, 2000);
  });

  it('has no axe violations when scheduled, live and ended', async function () {
    this.timeout(60_000);
    const drop = await createDrop({ startsAt: Date.now() + 3600_000 });
    const el = await player(drop, 'hlsjs');
    await until('scheduled', () => el.state === 'scheduled');
    await expect(el).to.be.accessible();
    await host('POST', routes.host.start(drop.id));
    await until('live', () => el.state === 'live');
    await advances(el, 0.3);
    await expect(el).to.be.accessible();
    await feature(drop.id, 'hoodie');
    await host('POST', routes.host.end(drop.id));
    await until('ended', () => el.state === 'ended');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
