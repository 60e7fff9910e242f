/**
 * <live-drop-player> near the live edge of the reference server's
 * Low-Latency HLS stream: how far behind the server's clock the frame on
 * screen is, catching up after falling behind, and "Go live". Real server,
 * real Chromium, real media.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { liveStart } from '../../src/elements/live-drop-player/hls-prefetch.js';
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

describe('<live-drop-player> starting fast', () => {
  it('picks the newest independent part at least PART-HOLD-BACK behind the end of the live playlist', async () => {
    const playlist = await (await fetch(`${backend.url}/stream/live.m3u8`)).text();
    const holdBack = Number(/PART-HOLD-BACK=([\d.]+)/.exec(playlist)![1]);
    const parts = playlist
      .split('\n')
      .filter((l) => l.startsWith('#EXT-X-PART:'))
      .map((l) => ({
        uri: /URI="([^"]+)"/.exec(l)![1],
        duration: Number(/DURATION=([\d.]+)/.exec(l)![1]),
        independent: l.includes('INDEPENDENT=YES'),
      }));
    // Seconds from each part's start to the end of the playlist.
    const behind = parts.map((_, i) => parts.slice(i).reduce((sum, p) => sum + p.duration, 0));
    const expected = parts.findLast((p, i) => p.independent && behind[i] >= holdBack - 0.001)!;
    expect(liveStart(playlist)?.uri).to.equal(expected.uri);
    expect(liveStart(playlist.replace(/#EXT-X-PART:[^\n]*\n/g, '')), 'no parts: left to hls.js').to.be.undefined;
    expect(liveStart(`${playlist}#EXT-X-ENDLIST\n`), 'not live: left to hls.js').to.be.undefined;
  });

  it('hands hls.js the playlists, init section and first part it fetched meanwhile, and starts on that key frame', async function () {
    this.timeout(60_000);
    performance.setResourceTimingBufferSize(10_000);
    performance.clearResourceTimings();
    const el = await player('hlsjs');
    const v = video(el);
    const startedAt = await new Promise<number>((resolve) => v.addEventListener('playing', () => resolve(v.currentTime), { once: true }));
    const asked = (path: RegExp) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.startsWith(backend.url) && path.test(new URL(e.name).pathname + new URL(e.name).search));
    // Each asked for once: the prefetch's answer served hls.js (without it hls.js asks for each again).
    expect(asked(/^\/stream\/main\.m3u8$/), 'multivariant playlist').to.have.length(1);
    expect(asked(/^\/stream\/live\.m3u8$/), 'media playlist (blocking reloads aside)').to.have.length(1);
    expect(asked(/^\/stream\/init\.mp4$/), 'init section').to.have.length(1);
    const firstPart = asked(/^\/stream\/parts\//)[0];
    expect(asked(new RegExp(`^${new URL(firstPart.name).pathname.replaceAll('.', '\\.')}$`)), 'first part').to.have.length(1);
    // On the key frame at the start of what is buffered, not a little into the group of pictures.
    expect(startedAt - v.buffered.start(0), 'started at the buffer start').to.be.below(0.05);
  });
});
