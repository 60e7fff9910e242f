/**
 * first-frame: how long <live-drop-player> takes from being connected to the
 * first `playing` of the simulated live stream, through hls.js (its lazy
 * chunk included) and through the browser's native HLS.
 *   npm run build && node --import tsx bench/first-frame.ts [--runs 7]
 * Each run: a fresh Chromium context (cold HTTP cache) on a page that loads
 * dist/live-drop.js, then appends the player for a live drop configured as
 * the demo drop is (its products, and the multivariant stream/main.m3u8 with
 * the captions rendition), on the reference server. So the player's lazy
 * chunk, hls.js, the drop's snapshot, the server clock sync and every
 * playlist load from there on are counted. Time from the append
 * (connected) to the video's first `playing` event, and to the first
 * painted video frame (requestVideoFrameCallback).
 *
 * It also prints where the time goes: the median moment (ms after connected)
 * each step started and ended, from the page's resource timing (chunks,
 * snapshot, clock, playlists, init section, first media), the first
 * `appendBuffer` into Media Source Extensions and the first media buffered.
 *
 * To compare with an earlier build in the same session (same load), build it
 * into a directory of its own and pass it: `FIRST_FRAME_BASELINE=<its dist/>`.
 * The runs then alternate between the two builds and the ratios are printed.
 */
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { demoDrop } from '../server/services/demo-drop.js';
import { chromiumLaunchOptions } from '../test/support/chromium.js';
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { playerPage, requireBuild, startSite } from './lib/bench-site.js';
import { createDrop } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { median } from './lib/stats.js';
import { fmt, printTable } from './lib/table.js';

const flags = intFlags({ runs: 7 }, 'usage: [FIRST_FRAME_BASELINE=<dist of an earlier build>] bench/first-frame.ts [--runs N]');
requireBuild('first-frame');

/** The steps of a start, in the order they usually happen; resources are matched by URL. */
const STEPS: [name: string, url: string][] = [
  ['player chunk', '/live-drop-player-'],
  ['hls.js chunk', '/live-drop-hls-'],
  ['drop snapshot', '/v1/drops/[^/?]+$'],
  ['clock sync (5 round trips)', '/v1/time'],
  ['multivariant playlist', 'main\\.m3u8'],
  ['media playlist', 'live\\.m3u8'],
  ['captions playlist', 'captions\\.m3u8'],
  ['init section', 'init\\.mp4'],
  ['first part or segment', '/(parts|segments)/'],
];

const PAGE = playerPage(`
  const STEPS = ${JSON.stringify(STEPS)};
  window.__times = new Promise(async (resolve) => {
    const times = { at: {} };
    let video;
    const mark = (name) => (times.at[name] ??= [performance.now() - connected, performance.now() - connected]);
    setTimeout(() => resolve({ error: 'no playing within 30 s, state ' + el.state }), 30_000);
    // MSE (hls.js): the first bytes handed to a SourceBuffer, and the first media (not only an init section) buffered.
    if (window.SourceBuffer) {
      const append = SourceBuffer.prototype.appendBuffer;
      SourceBuffer.prototype.appendBuffer = function (data) {
        mark('MSE: first append');
        this.addEventListener('updateend', () => video?.buffered.length && mark('MSE: media buffered'), { once: true });
        return append.call(this, data);
      };
    }
    // Main-thread tasks over 50 ms (parsing and running chunks, rendering, transmuxing), listed with the steps.
    const longTasks = [];
    new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
    // Connected: the script-tag build then fetches the player chunk, which fetches hls.js.
    const connected = performance.now();
    document.body.append(el);
    await customElements.whenDefined('live-drop-player');
    mark('player defined');
    await el.updateComplete;
    video = el.shadowRoot.querySelector('video');
    video.addEventListener('loadedmetadata', () => mark('video: metadata'));
    video.addEventListener('playing', () => {
      times.playing ??= performance.now() - connected;
      times.engine = el.engine;
      video.requestVideoFrameCallback(() => {
        times.frame = performance.now() - connected;
        // Each step from the start of its first request to the end of its last one before the first frame.
        for (const e of performance.getEntriesByType('resource')) {
          const step = STEPS.find(([, url]) => new RegExp(url).test(e.name.split('?')[0]));
          if (!step || e.responseEnd - connected > times.frame) continue;
          const span = (times.at[step[0]] ??= [e.startTime - connected, e.responseEnd - connected]);
          if (step[0].startsWith('clock')) span[1] = Math.max(span[1], e.responseEnd - connected);
        }
        times.longTasks = longTasks
          .filter((t) => t.startTime >= connected && t.startTime - connected < times.frame)
          .map((t) => [Math.round(t.startTime - connected), Math.round(t.duration)]);
        resolve(times);
      });
    });
  });
`);

interface Times {
  playing: number;
  frame: number;
  engine: string;
  at: Record<string, [number, number]>;
  longTasks: [start: number, duration: number][];
  error?: string;
}

const baselineDist = process.env.FIRST_FRAME_BASELINE ? resolve(process.env.FIRST_FRAME_BASELINE) : undefined;
const server = await startReferenceServer();
const sites = { current: await startSite(PAGE), ...(baselineDist ? { baseline: await startSite(PAGE, baselineDist) } : {}) };
const client = new HttpClient(server.url);
const browser = await chromium.launch(chromiumLaunchOptions());
const samples: Record<string, Times[]> = {};
let exitCode = 0;
try {
  const { id: _demoId, ...demo } = demoDrop({
    startsAt: Date.now() - 1000,
    holdMs: 600_000,
    hls: 'stream/main.m3u8',
    poster: 'stream/poster.jpg',
  });
  const drop = await createDrop(client, server.hostToken, demo);
  for (let run = 0; run < flags.runs; run++) {
    for (const [build, site] of Object.entries(sites)) {
      for (const playback of ['hlsjs', 'native']) {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          const query = new URLSearchParams({ backend: server.url, drop: drop.id, playback });
          await page.goto(`${site.url}/?${query}`);
          const times = (await page.evaluate(() => (window as unknown as { __times: Promise<unknown> }).__times)) as Times;
          if (times.error) throw new Error(`${build} ${playback} run ${run + 1}: ${times.error}`);
          (samples[`${build} ${playback}`] ??= []).push(times);
        } finally {
          await context.close();
        }
      }
    }
  }
} catch (error) {
  console.error(`bench/first-frame: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await browser.close();
  client.close();
  for (const site of Object.values(sites)) await site.close();
  await server.stop();
}

const builds = Object.keys(sites);
const engines = [
  ['hlsjs', 'hls.js (lazy chunk included)'],
  ['native', 'native HLS'],
];
const stat = (name: string, xs: number[]) => [name, xs.length, Math.min(...xs), median(xs), Math.max(...xs)];
printTable(
  `first-frame: element connected → first \`playing\` / first painted frame on the demo drop's stream (multivariant, captions), ${flags.runs} cold runs per engine (ms)`,
  ['build, engine', 'runs', 'min', 'median', 'max'],
  builds.flatMap((build) =>
    engines.flatMap(([engine, label]) => {
      const xs = samples[`${build} ${engine}`] ?? [];
      const prefix = builds.length > 1 ? `${build}: ` : '';
      return [
        stat(
          `${prefix}${label}: playing`,
          xs.map((t) => t.playing),
        ),
        stat(
          `${prefix}${label}: first frame painted`,
          xs.map((t) => t.frame),
        ),
      ];
    }),
  ),
);

if (samples['baseline hlsjs'])
  printTable(
    'current ÷ baseline (median, same session)',
    ['engine', 'playing', 'first frame'],
    engines.map(([engine, label]) => {
      const m = (build: string, key: 'playing' | 'frame') => median((samples[`${build} ${engine}`] ?? []).map((t) => t[key]));
      return [label, fmt(m('current', 'playing') / m('baseline', 'playing'), 2), fmt(m('current', 'frame') / m('baseline', 'frame'), 2)];
    }),
  );

for (const build of builds)
  for (const [engine, label] of engines) {
    const xs = samples[`${build} ${engine}`] ?? [];
    if (!xs.length) continue;
    const names = [...new Set(xs.flatMap((t) => Object.keys(t.at)))].sort(
      (a, b) => median(xs.map((t) => t.at[a]?.[1] ?? Infinity)) - median(xs.map((t) => t.at[b]?.[1] ?? Infinity)),
    );
    printTable(
      `where the time goes: ${builds.length > 1 ? `${build}, ` : ''}${label} (median ms after connected; runs that had the step)`,
      ['step', 'runs', 'start', 'end'],
      [
        ...names.map((name) => {
          const spans = xs.map((t) => t.at[name]).filter(Boolean);
          return [name, spans.length, median(spans.map((s) => s[0])), median(spans.map((s) => s[1]))];
        }),
        ['playing', xs.length, '', median(xs.map((t) => t.playing))],
        ['first frame painted', xs.length, '', median(xs.map((t) => t.frame))],
      ],
    );
    const busy = xs.map((t) => t.longTasks.reduce((sum, [, d]) => sum + d, 0));
    console.log(
      `main-thread tasks over 50 ms before the first frame: median ${fmt(median(busy), 0)} ms in all; run 1: ${
        xs[0].longTasks.map(([at, d]) => `${d} ms at ${at}`).join(', ') || 'none'
      }`,
    );
  }
process.exit(exitCode);
