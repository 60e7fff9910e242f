/**
 * The waiting line under load (issue 20): 10,000 shoppers join within 10 s,
 * the draw, admission at the configured rate, and what the stream costs
 * each viewer. Shoppers come from many loopback addresses, so the server's
 * per-address limits stay at their defaults.
 *
 *   node --import tsx bench/line.ts [--shoppers 10000] [--seconds 10] [--rate 200] [--viewers 200] [--measure 10]
 *
 * Prints: joins (answered, refused, p50/p99/max latency, how long the last
 * took to be answered), the draw's delay after the cutoff, the admission
 * rate measured from the stream against the configured one, and `line`
 * events per viewer per second (the goal: at most 2) with all events per
 * viewer per second beside it. Then issue 20's fairness setting: two groups
 * of `--group` shoppers, one behind a proxy adding `--far` ms each way, for
 * `--units` units, without a line and with one (admission following stock):
 * the far group's share. PGlite, one node.
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startReferenceServer } from '../test/support/reference-server.js';
import { apiFor } from '../test/server/support/api-client.js';
import { openEvents } from '../test/server/support/event-client.js';
import { fairnessRun } from '../test/server/support/line.js';
import { startDelayProxy } from './lib/delay-proxy.js';
import { loopbackAddress } from '../test/support/loopback.js';
import { intFlags } from './lib/args.js';
import { HttpClient } from './lib/http-client.js';
import { SseClient } from './lib/sse-client.js';
import { summarize } from './lib/stats.js';
import { fmt, printTable } from './lib/table.js';

const flags = intFlags(
  { shoppers: 10_000, seconds: 10, rate: 200, viewers: 200, measure: 10, group: 600, units: 100, far: 150 },
  'usage: bench/line.ts [--shoppers n] [--seconds s] [--rate admitted/s] [--viewers n] [--measure s] [--group n] [--units n] [--far ms]',
);
const server = await startReferenceServer({ startTimeoutMs: 120_000 });
const client = new HttpClient(server.url, { maxSockets: 253, spreadSources: true });
const host = (method: string, path: string, body?: unknown) => client.json<unknown>(method, path, { body, token: server.hostToken });

try {
  const dropId = `line-bench-${Date.now().toString(36)}`;
  await host('POST', '/v1/host/drops', {
    id: dropId,
    title: 'Line bench',
    startsAt: Date.now() + 3_600_000,
    products: [
      { id: 'tee', title: 'Tee', prices: [{ currency: 'EUR', amount: 100 }], variants: [{ id: 's', label: 'S', stock: 1_000_000 }] },
    ],
    queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: flags.rate, passMs: 60_000 },
  });

  // Shoppers first (not timed): a token each, from the address it will join from.
  const made = performance.now();
  const shoppers: { token: string; from: string }[] = [];
  for (let i = 0; i < flags.shoppers; i += 256) {
    const batch = Array.from({ length: Math.min(256, flags.shoppers - i) }, (_, k) => i + k);
    shoppers.push(
      ...(await Promise.all(
        batch.map(async (n) => {
          const from = loopbackAddress(n);
          return {
            token: (await client.json<{ shopperToken: string }>('POST', '/v1/shoppers', { localAddress: from })).shopperToken,
            from,
          };
        }),
      )),
    );
  }
  console.log(`${flags.shoppers} shopper tokens made in ${fmt((performance.now() - made) / 1000)} s (not part of the figures)`);

  // Viewers watch the drop's stream throughout.
  const agent = new Agent({ keepAlive: true, maxSockets: flags.viewers });
  const lineEvents: number[] = new Array(flags.viewers).fill(0);
  const allEvents: number[] = new Array(flags.viewers).fill(0);
  const seen: { at: number; admittedThrough: number; drawnAt: number | null; total: number }[] = [];
  let counting = false;
  const viewers = Array.from(
    { length: flags.viewers },
    (_, v) =>
      new SseClient({
        url: `${server.url}/v1/drops/${dropId}/events`,
        agent,
        localAddress: loopbackAddress(v),
        onEvent: (message, receivedAt) => {
          if (counting) allEvents[v]++;
          if (message.type !== 'line') return;
          if (counting) lineEvents[v]++;
          if (v === 0) seen.push({ ...JSON.parse(message.data), at: receivedAt });
        },
      }),
  );
  viewers.forEach((v) => v.connect());

  // Joins, open loop: join i is sent at i × seconds / shoppers, whatever the answers before it.
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const t0 = performance.now();
  await Promise.all(
    shoppers.map(async (s, i) => {
      const due = t0 + (i * flags.seconds * 1000) / flags.shoppers;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const res = await client.request('POST', `/v1/drops/${dropId}/line`, { token: s.token, localAddress: s.from });
      latencies.push(res.ms);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }),
  );
  const joinSeconds = (performance.now() - t0) / 1000;
  const joins = summarize(latencies);
  printTable(
    `${flags.shoppers} joins sent evenly over ${flags.seconds} s`,
    ['joins', 'answers', 'all answered after', 'p50', 'p99', 'max'],
    [
      [
        String(flags.shoppers),
        [...statuses].map(([s, n]) => `${n}×${s}`).join(' '),
        `${fmt(joinSeconds)} s`,
        `${fmt(joins.p50)} ms`,
        `${fmt(joins.p99)} ms`,
        `${fmt(joins.max)} ms`,
      ],
    ],
  );

  // The start: the draw at the cutoff, then admission at the configured rate.
  const started = performance.now();
  counting = true;
  await host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
  const measureMs = flags.measure * 1000;
  await new Promise((r) => setTimeout(r, measureMs + 1000));
  counting = false;
  const drawn = seen.find((e) => e.drawnAt !== null);
  const window = seen.filter((e) => e.drawnAt !== null);
  const first = window[0];
  const last = window.at(-1);
  const measured =
    first && last && last.at > first.at ? ((last.admittedThrough - first.admittedThrough) * 1000) / (last.at - first.at) : Number.NaN;
  const seconds = (measureMs + 1000) / 1000;
  const perViewer = (counts: number[]) => counts.reduce((a, b) => a + b, 0) / counts.length / seconds;
  const maxPerViewer = Math.max(...lineEvents) / seconds;
  printTable(
    'the start: draw and admission, seen by the viewers',
    [
      'draw seen after the start',
      'places drawn',
      'admitted (configured)',
      'admitted (measured)',
      'line events/viewer/s',
      'max',
      'all events/viewer/s',
    ],
    [
      [
        drawn ? `${fmt(drawn.at - started, 0)} ms` : 'never',
        String(last?.total ?? 0),
        `${flags.rate}/s`,
        `${fmt(measured)}/s`,
        fmt(perViewer(lineEvents), 2),
        fmt(maxPerViewer, 2),
        fmt(perViewer(allEvents), 2),
      ],
    ],
  );
  console.log(`\n${flags.viewers} viewers for ${fmt(seconds)} s; admitted through ${last?.admittedThrough ?? 0} of ${last?.total ?? 0}.`);
  if (perViewer(lineEvents) > 2) console.log('GOAL MISSED: more than 2 line events per viewer per second');
  viewers.forEach((v) => v.close());
  agent.destroy();

  // Fairness: the setting, without and with the line.
  const proxy = await startDelayProxy(server.url, flags.far);
  try {
    const near = apiFor(server);
    const far = apiFor({ url: proxy.url, hostToken: server.hostToken });
    const rows = [];
    for (const line of [false, true]) {
      const r = await fairnessRun(near, far, {
        group: flags.group,
        units: flags.units,
        line,
        offset: line ? 2 * flags.group : 0,
        openEvents,
      });
      rows.push([
        line ? 'with the line' : 'without a line',
        String(r.units),
        String(r.nearUnits),
        String(r.farUnits),
        `${fmt((r.farUnits / r.units) * 100)} %`,
      ]);
    }
    printTable(
      `fairness: ${flags.group} near + ${flags.group} far (${flags.far} ms each way) for ${flags.units} units`,
      ['', 'units sold', 'near group', 'far group', 'far share'],
      rows,
    );
  } finally {
    await proxy.close();
  }
} finally {
  client.close();
  await server.stop();
}
