/**
 * fanout: V viewers hold one drop's event stream; the host changes stock; how
 * long until each viewer has the change, and what each connection costs the server.
 *   node --import tsx bench/fanout.ts [--viewers 2000] [--changes 5]
 * First one server process on PGlite; then two nodes on one PostgreSQL (viewers
 * split between them, the change made on node A) when TEST_DATABASE_URL or
 * DATABASE_URL is set. Latency runs from sending the host's stock PUT to the
 * stock event's arrival at the viewer; memory is the server's RSS growth / V.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { routes } from '../src/protocol/routes.js';
import { startReferenceServer, type RunningServer } from '../test/support/reference-server.js';
import { intFlags, postgresUrl } from './lib/args.js';
import { createRushDrop, type RushDrop } from './lib/drop-fixture.js';
import { DropViewer, variantKey } from './lib/drop-viewer.js';
import { HttpClient } from './lib/http-client.js';
import { rssBytes } from './lib/process-memory.js';
import { summarize } from './lib/stats.js';
import { printTable, type Cell } from './lib/table.js';
import { loopbackAddress } from '../test/support/loopback.js';

const flags = intFlags({ viewers: 2000, changes: 5 }, 'usage: bench/fanout.ts [--viewers V (≤ 10000)] [--changes N]');
if (flags.viewers < 1 || flags.viewers > 10_000) {
  console.error('--viewers must be from 1 to 10000');
  process.exit(2);
}
const CONNECT_BATCH = 250;
const CHANGE_DEADLINE_MS = 30_000;

/** Soft limit on open files of this process (the servers inherit it). */
function openFileLimit(): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}
const limit = openFileLimit();
if (flags.viewers + 200 > limit) {
  console.error(
    `fanout: ${flags.viewers} viewers need about ${flags.viewers + 200} open files in this process and in the server, ` +
      `but the limit is ${limit}. Raise it first, e.g. \`ulimit -n ${Math.max(flags.viewers * 2, 4096)}\` (hard limit: ulimit -Hn).`,
  );
  process.exit(1);
}

interface Result {
  setup: string;
  samples: number[];
  missed: number;
  perConnection: number;
  connectSeconds: number;
}

async function measure(setup: string, nodes: RunningServer[]): Promise<Result> {
  const host = new HttpClient(nodes[0].url, { maxSockets: 4 });
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const viewers: DropViewer[] = [];
  try {
    const target: RushDrop = await createRushDrop(host, nodes[0].hostToken, { stock: 1_000_000, variants: 4 });
    const v = target.variants[0];
    const key = variantKey(v.productId, v.variantId);

    // The change being timed: its expected level, when it was sent, and who has seen it.
    let change = { available: -1, sentAt: 0, seen: new Uint8Array(flags.viewers), count: 0 };
    const latencies: number[] = [];

    // A first stream on every node, so the baseline includes the drop's own stream state.
    const warm = nodes.map((n) => new DropViewer({ backend: n.url, dropId: target.drop.id, agent }).connect());
    viewers.push(...warm);
    await Promise.all(warm.map((w) => w.ready));
    await sleep(500);
    const rssBefore = nodes.map((n) => rssBytes(n.process.pid!));

    const connectStarted = performance.now();
    for (let i = 0; i < flags.viewers; i += CONNECT_BATCH) {
      const batch: DropViewer[] = [];
      for (let j = i; j < Math.min(i + CONNECT_BATCH, flags.viewers); j++) {
        const index = j;
        batch.push(
          new DropViewer({
            backend: nodes[index % nodes.length].url,
            dropId: target.drop.id,
            agent,
            localAddress: loopbackAddress(index),
            onStock: (levels, at) => {
              if (change.seen[index]) return;
              const level = levels.find((l) => variantKey(l.productId, l.variantId) === key);
              if (level?.available !== change.available) return;
              change.seen[index] = 1;
              change.count++;
              latencies.push(at - change.sentAt);
            },
          }).connect(),
        );
      }
      await Promise.all(batch.map((b) => b.ready));
      viewers.push(...batch);
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await sleep(1000);
    const rssAfter = nodes.map((n) => rssBytes(n.process.pid!));
    const perConnection = rssAfter.reduce((sum, r, i) => sum + r - rssBefore[i], 0) / flags.viewers;

    let missed = 0;
    for (let c = 1; c <= flags.changes; c++) {
      change = { available: 500_000 - c, sentAt: performance.now(), seen: new Uint8Array(flags.viewers), count: 0 };
      await host.json('PUT', routes.host.stock(target.drop.id, v.productId, v.variantId), { token: nodes[0].hostToken, body: { available: change.available } });
      const deadline = performance.now() + CHANGE_DEADLINE_MS;
      while (change.count < flags.viewers && performance.now() < deadline) await sleep(5);
      missed += flags.viewers - change.count;
      await sleep(300);
    }
    return { setup, samples: latencies, missed, perConnection, connectSeconds };
  } finally {
    for (const viewer of viewers) viewer.close();
    agent.destroy();
    host.close();
  }
}

const results: Result[] = [];
const single = await startReferenceServer();
try {
  results.push(await measure('1 node, PGlite', [single]));
} finally {
  await single.stop();
}

const pg = postgresUrl('fanout');
if (pg) {
  const nodes = [await startReferenceServer({ databaseUrl: pg }), await startReferenceServer({ databaseUrl: pg })];
  try {
    results.push(await measure('2 nodes, PostgreSQL', nodes));
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

const rows: Cell[][] = results.map((r) => {
  const s = summarize(r.samples);
  return [r.setup, s.n, r.missed, s.p50, s.p99, s.max, `${(r.perConnection / 1024).toFixed(1)} KB`, r.connectSeconds];
});
printTable(
  `fanout: ${flags.viewers} viewers, ${flags.changes} stock changes each`,
  ['setup', 'deliveries', 'missed', 'p50 ms', 'p99 ms', 'max ms', 'server RSS/conn', 'connect s'],
  rows,
);
console.log(
  '\nlatency: from sending the stock PUT to the event reaching each viewer (client and server share 2 cores);' +
    '\nRSS/conn: growth of the server processes\' resident memory while the viewers connected, divided by V.',
);
