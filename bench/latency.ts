/**
 * latency: how long after the host's `feature` call a viewer's
 * <live-drop-player> shows the product (`drop-featured-shown`), on loopback,
 * through hls.js and through the browser's native HLS; and, in the same
 * session, how far behind the server's clock the frame on screen stays and
 * how often playback rebuffers.
 *   npm run build && node --import tsx bench/latency.ts [--runs 20] [--play-seconds 120]
 * Per engine: one Chromium page with the player on a live drop configured as
 * the demo drop is (stream/main.m3u8: Low-Latency video + captions); after
 * 3 s of playback, the host features a product every 2–3.5 s (random, so
 * the calls land on every phase of the stream's parts), `--runs` times;
 * playback goes on until `--play-seconds` have passed. The page samples
 * `Date.now() − playheadTime` (server and browser share this machine's
 * clock) every 250 ms and counts `waiting` events after the first `playing`.
 * The player shows a product when the frame captured at that moment is on
 * screen, so feature → shown is the stream's latency plus the event's
 * delivery. Chromium's native HLS exposes no program date-time
 * (getStartDate), so there the player shows a product on arrival: that row
 * measures event delivery only, and its live-edge distance is unknown.
 */
import { chromium, type Page } from 'playwright';
import { routes } from '../src/protocol/routes.js';
import { demoDrop } from '../server/services/demo-drop.js';
import { chromiumLaunchOptions } from '../test/support/chromium.js';
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { playerPage, requireBuild, startSite } from './lib/bench-site.js';
import { createDrop } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { summarize } from './lib/stats.js';
import { fmt, printTable } from './lib/table.js';

const flags = intFlags({ runs: 20, 'play-seconds': 120 }, 'usage: bench/latency.ts [--runs N] [--play-seconds S]');
requireBuild('latency');

const PAGE = playerPage(`
  const stats = (window.__stats = { shown: [], distance: [], waiting: 0, playing: false });
  el.addEventListener('drop-featured-shown', (e) => stats.shown.push({ productId: e.detail.productId, at: e.detail.at, wall: Date.now() }));
  document.body.append(el);
  await customElements.whenDefined('live-drop-player');
  await el.updateComplete;
  const video = el.shadowRoot.querySelector('video');
  video.addEventListener('playing', () => (stats.playing = true));
  video.addEventListener('waiting', () => stats.playing && stats.waiting++);
  setInterval(() => {
    if (stats.playing && el.playheadTime !== null) stats.distance.push(Date.now() - el.playheadTime);
  }, 250);
`);

interface PageStats {
  shown: { productId: string; at: number; wall: number }[];
  distance: number[];
  waiting: number;
  playing: boolean;
}
const stats = (page: Page) => page.evaluate(() => (window as unknown as { __stats: PageStats }).__stats);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await startReferenceServer();
const site = await startSite(PAGE);
const client = new HttpClient(server.url);
const browser = await chromium.launch(chromiumLaunchOptions());
const rows: (string | number)[][] = [];
let exitCode = 0;
try {
  for (const playback of ['hlsjs', 'native']) {
    const { id: _demoId, ...demo } = demoDrop({
      startsAt: Date.now() - 1000,
      holdMs: 600_000,
      hls: 'stream/main.m3u8',
      poster: 'stream/poster.jpg',
    });
    const drop = await createDrop(client, server.hostToken, demo);
    const products = drop.products.map((p) => p.id);
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${site.url}/?${new URLSearchParams({ backend: server.url, drop: drop.id, playback })}`);
    for (let t = 0; !(await stats(page)).playing; t++) {
      if (t > 300) throw new Error(`${playback}: no playback within 30 s`);
      await sleep(100);
    }
    await sleep(3000);
    const latencies: number[] = [];
    for (let run = 0; run < flags.runs; run++) {
      const productId = products[run % products.length];
      const called = Date.now();
      // A fresh connection per call, as a host's console makes them seconds apart (a kept-alive one may have closed).
      const res = await fetch(`${server.url}${routes.host.feature(drop.id)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.hostToken}`, 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ productId }),
      });
      if (!res.ok) throw new Error(`feature: ${res.status} ${await res.text()}`);
      let shown: PageStats['shown'][number] | undefined;
      for (let t = 0; !shown; t++) {
        if (t > 200) throw new Error(`${playback} run ${run + 1}: ${productId} not shown within 10 s`);
        await sleep(50);
        shown = (await stats(page)).shown.find((s) => s.productId === productId && s.wall >= called);
      }
      latencies.push(shown.wall - called);
      await sleep(2000 + Math.random() * 1500);
    }
    await sleep(Math.max(0, started + flags['play-seconds'] * 1000 - Date.now()));
    const final = await stats(page);
    await context.close();
    const l = summarize(latencies);
    const d = summarize(final.distance);
    const seconds = Math.round((Date.now() - started) / 1000);
    const engine = playback === 'hlsjs' ? 'hls.js' : 'native (shown on arrival)';
    rows.push([
      engine,
      l.n,
      fmt(l.p50 / 1000, 2),
      fmt(l.p99 / 1000, 2),
      d.n ? fmt(d.p50 / 1000, 2) : 'n/a',
      d.n ? fmt(d.p99 / 1000, 2) : 'n/a',
      d.n ? fmt(d.max / 1000, 2) : 'n/a',
      final.waiting,
      seconds,
    ]);
  }
} catch (error) {
  console.error(`bench/latency: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await browser.close();
  client.close();
  await site.close();
  await server.stop();
}

printTable(
  `latency: host feature call → drop-featured-shown on one viewer (loopback), and behind-live distance of the frame on screen (s)`,
  ['engine', 'runs', 'feature→shown p50', 'p99', 'behind live p50', 'p99', 'max', 'rebuffers', 'played s'],
  rows,
);
console.log('goal (hls.js): feature→shown p50 ≤ 3 s, p99 ≤ 4 s');
process.exit(exitCode);
