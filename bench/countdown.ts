/**
 * countdown: how close to the server's start time <drop-countdown> turns to
 * "live", for a visitor whose clock is an hour off, over a slow network.
 *   npm run build && node --import tsx bench/countdown.ts [--runs 6] [--latency 100] [--lead 6000]
 * Each run: a fresh Chromium context whose Date is shifted by +1 h or -1 h
 * (alternately; an init script, so performance.now stays real for measuring),
 * the backend reached through a proxy that delays every chunk `--latency` ms
 * each way, and a drop starting `--lead` ms after the page opens. The error is
 * (real time of the first frame painted after state="live") - startsAt: positive is late.
 */
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../test/support/chromium.js';
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { requireBuild, startSite } from './lib/bench-site.js';
import { startDelayProxy } from './lib/delay-proxy.js';
import { createDrop } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { median } from './lib/stats.js';
import { printTable } from './lib/table.js';

const flags = intFlags({ runs: 6, latency: 100, lead: 6000 }, 'usage: bench/countdown.ts [--runs N] [--latency ms each way] [--lead ms]');
requireBuild('countdown');
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module" src="/live-drop.js"></script>
<script type="module">
  const q = new URLSearchParams(location.search);
  const el = document.createElement('drop-countdown');
  el.setAttribute('backend', q.get('backend'));
  el.setAttribute('drop', q.get('drop'));
  // Real wall-clock time (performance is not shifted): when state turns live, when that frame paints, and the event.
  const realNow = () => performance.timeOrigin + performance.now();
  window.__times = new Promise((resolve) => {
    const times = {};
    el.addEventListener('drop-started', () => (times.event = realNow()));
    el.addEventListener('drop-error', (e) => resolve({ error: JSON.stringify(e.detail) }));
    new MutationObserver(() => {
      if (el.getAttribute('state') !== 'live' || times.live) return;
      times.live = realNow();
      requestAnimationFrame(() => { times.painted = realNow(); setTimeout(() => resolve(times), 50); });
    }).observe(el, { attributes: true, attributeFilter: ['state'] });
  });
  document.body.append(el);
</script>`;

const HOUR = 3_600_000;

const server = await startReferenceServer();
const proxy = await startDelayProxy(server.url, flags.latency);
const site = await startSite(PAGE);
const client = new HttpClient(server.url);
const browser = await chromium.launch(chromiumLaunchOptions());
const rows: { shift: number; live: number; painted: number; event: number }[] = [];
try {
  for (let run = 0; run < flags.runs; run++) {
    const shift = run % 2 === 0 ? HOUR : -HOUR;
    const startsAt = Date.now() + flags.lead;
    const drop = await createDrop(client, server.hostToken, { title: 'Countdown', startsAt, products: [] });
    const context = await browser.newContext();
    try {
      await context.addInitScript((shiftMs: number) => {
        const RealDate = Date;
        class ShiftedDate extends RealDate {
          constructor(...args: unknown[]) {
            if (args.length === 0) super(RealDate.now() + shiftMs);
            else super(...(args as [number]));
          }
          static override now() {
            return RealDate.now() + shiftMs;
          }
        }
        globalThis.Date = ShiftedDate as DateConstructor;
      }, shift);
      const page = await context.newPage();
      if (process.env.DEBUG) {
        page.on('console', (m) => console.log('console:', m.text()));
        page.on('requestfailed', (r) => console.log('failed:', r.url(), r.failure()?.errorText));
      }
      await page.goto(`${site.url}/?backend=${encodeURIComponent(proxy.url)}&drop=${encodeURIComponent(drop.id)}`);
      const times = (await page.evaluate(() =>
        Promise.race([
          (window as unknown as { __times: Promise<Record<string, number>> }).__times,
          new Promise((r) => setTimeout(() => r(null), 60_000)),
        ]),
      )) as (Record<string, number> & { error?: string }) | null;
      if (!times || 'error' in times)
        throw new Error(
          `run ${run + 1}: the countdown never turned live (state ${await page.getAttribute('drop-countdown', 'state')}, ${times?.error ?? 'timed out'})`,
        );
      rows.push({ shift, live: times.live - startsAt, painted: times.painted - startsAt, event: (times.event ?? Number.NaN) - startsAt });
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  client.close();
  await proxy.close();
  await site.close();
  await server.stop();
}

const stat = (name: string, xs: number[]) => [name, Math.min(...xs), median(xs), Math.max(...xs)];
printTable(
  `countdown: ${flags.runs} runs, browser clock ±1 h, +${flags.latency} ms each way (RTT ≈ ${2 * flags.latency} ms)`,
  ['error vs server start (ms)', 'min', 'median', 'max'],
  [
    stat(
      'state="live" set',
      rows.map((r) => r.live),
    ),
    stat(
      'frame painted (displayed)',
      rows.map((r) => r.painted),
    ),
    stat(
      'drop-started fired',
      rows.map((r) => r.event),
    ),
  ],
);
console.log('\nper run (ms, painted): ' + rows.map((r) => `${r.shift > 0 ? '+1h' : '-1h'} ${r.painted.toFixed(0)}`).join(', '));
