/**
 * <live-drop-player> near the live edge of the reference server's
 * Low-Latency HLS stream: how far behind the server's clock the frame on
 * screen is, catching up after falling behind, and "Go live". Real server,
 * real Chromium, real media.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/elements/live-drop-player/live-drop-player.js';
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';
import { routes } from '../../src/protocol/routes.js';
import type { Drop } from '../../src/protocol/types.js';
import { testBackend, type TestBackend } from '../helpers/backend.js';
import { hostCall } from '../helpers/host-api.js';
import { $, advances, until, video } from '../helpers/player.js';

let backend: TestBackend;
let seq = 0;

/**
 * The most the frame on screen may be behind the server's clock here. On a
 * quiet machine it is about 1.5–2 s: the stream's PART-HOLD-BACK (1 s), the
 * part being recorded (1/3 s), a part's download and a frame. On a 2-core
 * machine at load 35 it was 4 s (hls.js holds back 1 s more after each
 * stall, up to 2 s). The old stream without parts sat 6–8 s behind, so 5 s
 * still tells low latency from none; the 3 s goal is measured by
 * bench/latency.ts.
 */
const LIVE_EDGE_TARGET_MS = 5000;

const createDrop = () =>
  hostCall<Drop>(backend, 'POST', routes.host.drops(), {
    id: `edge-${Date.now().toString(36)}-${++seq}`,
    title: 'Night Shift live',
    startsAt: Date.now() - 1000,
    stream: { hls: 'stream/main.m3u8', poster: 'stream/poster.jpg' },
    products: [],
  });

const player = async (playback: string) =>
  fixture<LiveDropPlayer>(
    html`<live-drop-player backend=${backend.url} drop=${(await createDrop()).id} playback=${playback}></live-drop-player>`,
  );

/** How far (ms) the frame on screen is behind the wall clock (server and browser share this machine's clock). */
const distance = (el: LiveDropPlayer) => Date.now() - el.playheadTime!;

/** Samples `distance` every 200 ms for `ms`. */
async function sample(el: LiveDropPlayer, ms: number): Promise<number[]> {
  const out: number[] = [];
  for (const end = Date.now() + ms; Date.now() < end;) {
    // Right after a seek hls.js knows no program date-time for a moment.
    if (el.playheadTime !== null) out.push(distance(el));
    await new Promise((r) => setTimeout(r, 200));
  }
  return out.sort((a, b) => a - b);
}

const goLive = (el: LiveDropPlayer) => $(el, 'button[part~="live-badge"]');

before(async () => {
  backend = await testBackend();
});

describe('<live-drop-player> at the live edge', () => {
  it('plays the Low-Latency stream with hls.js within the target of the live edge', async function () {
    this.timeout(60_000);
    const el = await player('hlsjs');
    await advances(el, 2);
    const d = await sample(el, 8000);
    console.log(`hls.js: behind the live edge p50 ${d[d.length >> 1]} ms, max ${d.at(-1)} ms`);
    expect(d[d.length >> 1], 'median').to.be.below(LIVE_EDGE_TARGET_MS);
    expect(d.at(-1)!, 'worst').to.be.below(LIVE_EDGE_TARGET_MS + 1000);
    expect(goLive(el) === null, 'no "Go live" while at live').to.be.true;
  });

  it('catches up by playing slightly faster after falling a little behind, then plays at normal speed', async function () {
    this.timeout(60_000);
    const el = await player('hlsjs');
    await advances(el, 1);
    video(el).currentTime -= 1.5;
    await until('playing faster', () => video(el).playbackRate > 1, 5000);
    expect(video(el).playbackRate).to.equal(1.1);
    await until('caught up', () => video(el).playbackRate === 1, 30_000);
    expect(video(el).paused).to.be.false;
  });

  it('jumps back to live after falling far behind without having paused', async function () {
    this.timeout(60_000);
    const el = await player('hlsjs');
    await advances(el, 1);
    video(el).currentTime -= 8;
    await until('back near live', () => distance(el) < LIVE_EDGE_TARGET_MS, 10_000);
    expect(goLive(el) === null).to.be.true;
  });

  it('offers "Go live" while paused, and it plays from live again, by keyboard', async function () {
    this.timeout(60_000);
    const el = await player('hlsjs');
    await advances(el, 1);
    video(el).pause();
    const button = await until('the "Go live" button', () => goLive(el), 5000);
    expect(button.textContent!.trim()).to.equal('Go live');
    await new Promise((r) => setTimeout(r, 3000));
    expect(distance(el), 'paused: falling behind, and left there').to.be.above(3000);
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until('playing near live again', () => !video(el).paused && distance(el) < LIVE_EDGE_TARGET_MS, 10_000);
    await until('the button goes', () => goLive(el) === null, 5000);
  });

  it('says "Go live" in German', async function () {
    this.timeout(60_000);
    const el = await fixture<LiveDropPlayer>(
      html`<live-drop-player lang="de" backend=${backend.url} drop=${(await createDrop()).id} playback="hlsjs"></live-drop-player>`,
    );
    await advances(el, 0.5);
    video(el).pause();
    const button = await until('the button', () => goLive(el), 5000);
    expect(button.textContent!.trim()).to.equal('Zum Live-Bild');
  });

  it('plays the stream natively too, near the end of what the playlist lists', async function () {
    this.timeout(60_000);
    const el = await player('native');
    await advances(el, 2);
    expect(el.engine).to.equal('native');
    // Chromium's native HLS has no program date-time (getStartDate): measure against the playlist's end instead.
    const v = video(el);
    if (v.seekable.length === 0) {
      console.log('native: plays, but this browser exposes neither a program date-time nor a seekable range to measure the distance by');
      this.skip();
    }
    const behindEnd = v.seekable.end(v.seekable.length - 1) - v.currentTime;
    console.log(`native: ${behindEnd.toFixed(2)} s behind the end of the playlist`);
    // A player without Low-Latency HLS holds back three target durations (HOLD-BACK, 6 s) from the last segment.
    expect(behindEnd).to.be.below(8);
  });
});
