/**
 * Captions on <live-drop-player>, end to end: the reference server's
 * simulated stream offers an English WebVTT rendition through its
 * multivariant playlist (stream/main.m3u8) and none through the bare video
 * playlist (stream/live.m3u8). Real server, real Chromium, real media.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/elements/live-drop-player/live-drop-player.js';
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import type { Drop } from '../../src/protocol/types.js';
import { testBackend, type TestBackend } from '../helpers/backend.js';
import { hostCall } from '../helpers/host-api.js';
import { $, advances, until, video } from '../helpers/player.js';

// ------------------------------------------------------------ fixtures

let backend: TestBackend;
let seq = 0;

const WITH_CAPTIONS = 'stream/main.m3u8';
const WITHOUT_CAPTIONS = 'stream/live.m3u8';

const host = <T>(method: string, path: string, body?: unknown) => hostCall<T>(backend, method, path, body);

/** A drop on the reference server playing `hls`, live since `liveForMs` ago. */
const createDrop = (hls: string, liveForMs = 1000) =>
  host<Drop>('POST', routes.host.drops(), {
    id: `captions-${Date.now().toString(36)}-${++seq}`,
    title: 'Night Shift live',
    startsAt: Date.now() - liveForMs,
    stream: { hls, poster: 'stream/poster.jpg' },
    products: [],
  });

const captionsButton = (el: LiveDropPlayer) => $(el, 'button[aria-label="Captions"]');
const showingTrack = (el: LiveDropPlayer) => [...video(el).textTracks].find((t) => t.mode === 'showing');
// Booleans in assertions: a failing expect() on a DOM node or TextTrack makes the runner hang serialising it.
const hasButton = (el: LiveDropPlayer) => captionsButton(el) !== null;
const isShowing = (el: LiveDropPlayer) => showingTrack(el) !== undefined;

const player = (drop: Drop, playback: string) =>
  fixture<LiveDropPlayer>(html`<live-drop-player backend=${backend.url} drop=${drop.id} playback=${playback}></live-drop-player>`);

/**
 * The cue text the server serves for the segment that starts at or before `pdt` (a wall-clock ms).
 * Its number is counted from any entry of the live captions playlist (replays are only of ended shows).
 */
async function serverLineAt(pdt: number): Promise<string> {
  const playlist = await (await fetch(joinUrl(backend.url, '/stream/captions.m3u8'))).text();
  const [, start, seconds, n] = /#EXT-X-PROGRAM-DATE-TIME:(\S+)\n#EXTINF:([\d.]+),\n\S*?(\d+)\.vtt/.exec(playlist)!;
  const segment = Number(n) + Math.floor((pdt - Date.parse(start)) / (Number(seconds) * 1000));
  const vtt = await (await fetch(joinUrl(backend.url, `/stream/captions/${segment}.vtt`))).text();
  return vtt.trim().split('\n').at(-1)!;
}

/**
 * Turns captions on by click, off by the C key, on by the C key and off by
 * click, checking each time that `aria-pressed` and the video's text tracks
 * follow, and that the line on screen is the one of the segment on screen.
 */
async function togglesCaptions(el: LiveDropPlayer) {
  const button = await until('the captions button', () => captionsButton(el));
  expect(button.getAttribute('aria-pressed')).to.equal('false');
  expect(isShowing(el), 'captions start off').to.equal(false);

  button.click();
  await el.updateComplete;
  expect(button.getAttribute('aria-pressed')).to.equal('true');
  await isShowingTheLineOfTheSegmentOnScreen(el);

  // The C key works from anywhere in the player: here, with the play button focused.
  ($(el, '[aria-label="Pause"]') ?? $(el, '[aria-label="Play"]'))!.focus();
  await sendKeys({ press: 'c' });
  await el.updateComplete;
  expect(button.getAttribute('aria-pressed')).to.equal('false');
  expect(isShowing(el), 'no track showing once captions are off').to.equal(false);

  await sendKeys({ press: 'c' });
  await el.updateComplete;
  expect(button.getAttribute('aria-pressed')).to.equal('true');
  await until('a track is showing again', () => showingTrack(el)?.activeCues?.length, 15_000);

  button.click();
  await el.updateComplete;
  expect(button.getAttribute('aria-pressed')).to.equal('false');
  expect(isShowing(el)).to.equal(false);
}

/** A captions track is showing, and mid-segment its active cue is the line the server has for the segment on screen. */
async function isShowingTheLineOfTheSegmentOnScreen(el: LiveDropPlayer) {
  const track = await until(
    'a captions track is showing a cue',
    () => (showingTrack(el)?.activeCues?.length ? showingTrack(el) : null),
    20_000,
  );
  expect(['subtitles', 'captions']).to.include(track.kind);
  expect(track.language).to.equal('en');
  // Segments start on the 2 s wall-clock grid; mid-segment, the cue change of the last boundary has surely happened.
  await until('the playhead is mid-segment', () => el.playheadTime !== null && Math.abs((el.playheadTime % 2000) - 1000) < 400, 10_000);
  const playhead = el.playheadTime!;
  const cue = track.activeCues![0] as VTTCue;
  expect(cue.text).to.equal(await serverLineAt(playhead), `the line on screen at ${new Date(playhead).toISOString()}`);
  // The stream places no cue itself: the player lifts it above the control bar, or sets it low while the bar is hidden.
  expect(String(cue.line), 'the cue clears the controls').to.equal(el.controlsHidden ? '-2' : '-4');
}

before(async () => {
  backend = await testBackend();
});

// ------------------------------------------------------------ tests

describe('<live-drop-player> captions', () => {
  it('offers no captions button for a stream without captions, and C does nothing', async function () {
    this.timeout(40_000);
    const el = await player(await createDrop(WITHOUT_CAPTIONS), 'hlsjs');
    await advances(el, 2);
    expect(el.engine).to.equal('hlsjs');
    expect(hasButton(el), 'no captions button').to.equal(false);
    $(el, '[aria-label="Pause"]')!.focus();
    await sendKeys({ press: 'c' });
    expect(isShowing(el)).to.equal(false);
  });

  it('offers captions for a stream with a subtitles rendition, and the button and C turn them on and off (hls.js)', async function () {
    this.timeout(90_000);
    const el = await player(await createDrop(WITH_CAPTIONS), 'hlsjs');
    await advances(el, 0.5);
    expect(el.engine).to.equal('hlsjs');
    await togglesCaptions(el);
  });

  it('keeps captions above the control bar while it shows, and lowers them while it is hidden (hls.js)', async function () {
    this.timeout(90_000);
    const el = await player(await createDrop(WITH_CAPTIONS), 'hlsjs');
    await advances(el, 0.5);
    (await until('the captions button', () => captionsButton(el))).click();
    const cue = () => showingTrack(el)?.activeCues?.[0] as VTTCue | undefined;
    // Nobody touches the player: its controls hide after a few seconds of playing.
    await until('the controls hide', () => el.controlsHidden, 15_000);
    const low = await until('a cue sits low while the controls are hidden', () => el.controlsHidden && cue()?.line === -2 && cue(), 20_000);
    expect(low.size, 'in the middle of the picture, clear of the reaction button').to.equal(64);
    el.dispatchEvent(new PointerEvent('pointermove'));
    await until('the controls show', () => !el.controlsHidden, 5_000);
    expect(low.line, 'the cue that was on screen moves above the controls').to.equal(-4);
    // Keep the controls up, as a moving pointer does, until the next cue comes.
    const next = await until(
      'the next cue',
      () => {
        el.dispatchEvent(new PointerEvent('pointermove'));
        const now = cue();
        return now && now !== low ? now : null;
      },
      10_000,
    );
    expect(el.controlsHidden).to.equal(false);
    expect(next.line, 'the next cue comes above the controls too').to.equal(-4);
  });

  it('offers the captions in the replay of a show that had them (hls.js)', async function () {
    this.timeout(90_000);
    const drop = await createDrop(WITH_CAPTIONS, 30_000);
    await host('POST', routes.host.end(drop.id));
    const el = await player(drop, 'hlsjs');
    const replay = await until('the replay button', () => $(el, '.message .pill.primary'));
    replay.click();
    await advances(el, 0.5);
    const button = await until('the captions button', () => captionsButton(el));
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    await isShowingTheLineOfTheSegmentOnScreen(el);
  });

  it('offers captions and turns them on and off through the text tracks of native HLS playback', async function () {
    this.timeout(90_000);
    const el = await player(await createDrop(WITH_CAPTIONS), 'native');
    // Two segments: every rendition a native player exposes has been announced by now.
    await advances(el, 4);
    expect(el.engine).to.equal('native');
    if (video(el).textTracks.length === 0) {
      // Chromium's own HLS player (used here when forced) plays the multivariant
      // playlist's video but exposes none of its renditions: no audioTracks, no
      // textTracks, so there is nothing to turn on. Safari does expose them; the
      // rest of this test runs wherever a native player does.
      expect(hasButton(el), 'without a text track the player offers no captions button').to.equal(false);
      console.warn('skipped: native HLS in this Chromium exposes no text tracks for the WebVTT rendition');
      this.skip();
    }
    await togglesCaptions(el);
  });
});
