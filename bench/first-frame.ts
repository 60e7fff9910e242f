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
 */
import { chromium } from 'playwright';
import { demoDrop } from '../server/services/demo-drop.js';
import { chromiumLaunchOptions } from '../test/support/chromium.js';
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { playerPage, requireBuild, startSite } from './lib/bench-site.js';
import { createDrop } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { median } from './lib/stats.js';
import { printTable } from './lib/table.js';

const flags = intFlags({ runs: 7 }, 'usage: bench/first-frame.ts [--runs N]');
requireBuild('first-frame');

const PAGE = playerPage(`
  window.__times = new Promise(async (resolve) => {
    const times = {};
    setTimeout(() => resolve({ error: 'no playing within 30 s, state ' + el.state }), 30_000);
    // Connected: the script-tag build then fetches the player chunk, which fetches hls.js.
    const connected = performance.now();
    document.body.append(el);
    await customElements.whenDefined('live-drop-player');
    await el.updateComplete;
    const video = el.shadowRoot.querySelector('video');
    video.addEventListener('playing', () => {
      times.playing ??= performance.now() - connected;
      times.engine = el.engine;
      video.requestVideoFrameCallback(() => {
        times.frame = performance.now() - connected;
        resolve(times);
      });
    });
  });
`);

const server = await startReferenceServer();
const site = await startSite(PAGE);
const client = new HttpClient(server.url);
const browser = await chromium.launch(chromiumLaunchOptions());
const samples: Record<string, { playing: number[]; frame: number[] }> = {
  hlsjs: { playing: [], frame: [] },
  native: { playing: [], frame: [] },
};
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
    for (const playback of ['hlsjs', 'native']) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const query = new URLSearchParams({ backend: server.url, drop: drop.id, playback });
        await page.goto(`${site.url}/?${query}`);
        const times = (await page.evaluate(() => (window as unknown as { __times: Promise<unknown> }).__times)) as {
          playing: number;
          frame: number;
          engine: string;
          error?: string;
        };
        if (times.error) throw new Error(`${playback} run ${run + 1}: ${times.error}`);
        samples[playback].playing.push(times.playing);
        samples[playback].frame.push(times.frame);
      } finally {
        await context.close();
      }
    }
  }
} catch (error) {
  console.error(`bench/first-frame: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await browser.close();
  client.close();
  await site.close();
  await server.stop();
}

const stat = (name: string, xs: number[]) => [name, xs.length, Math.min(...xs), median(xs), Math.max(...xs)];
printTable(
  `first-frame: element connected → first \`playing\` on the demo drop's stream (multivariant, captions), ${flags.runs} cold runs per engine (ms)`,
  ['engine', 'runs', 'min', 'median', 'max'],
  [
    stat('hls.js (lazy chunk included): playing', samples.hlsjs.playing),
    stat('hls.js: first frame painted', samples.hlsjs.frame),
    stat('native HLS: playing', samples.native.playing),
    stat('native HLS: first frame painted', samples.native.frame),
  ],
);
process.exit(exitCode);
