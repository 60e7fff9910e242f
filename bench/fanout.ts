/**
 * fanout: V viewers hold one drop's event stream; the host changes stock; how
 * long until each viewer has the change, and what each connection costs the server.
 *   node --import tsx bench/fanout.ts [--viewers 10000] [--changes 5]
 * One server on PGlite; then, when TEST_DATABASE_URL or DATABASE_URL is set, one
 * node on PostgreSQL and two nodes on one PostgreSQL (viewers split between them,
 * the change made on node A). Latency runs from sending the host's stock PUT to
 * the stock event's arrival at the viewer. Memory per viewer is the growth of the
 * servers' live memory (V8 heap + external buffers) after a forced full GC, / V;
 * the RSS growth is printed beside it. Viewers connect from loopback addresses
 * 127.0.0.2–254, as they come from many IPs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { routes } from '../src/protocol/routes.js';
import { startReferenceServer, type RunningServer } from '../test/support/reference-server.js';
import { benchDatabase, intFlags } from './lib/args.js';
import { createRushDrop, type RushDrop } from './lib/drop-fixture.js';
import { DropViewer, variantKey } from './lib/drop-viewer.js';
import { HttpClient } from './lib/http-client.js';
import { loopbackAddress } from '../test/support/loopback.js';
import { gcProbe, memoryAfterGc, rssBytes } from './lib/process-memory.js';
import { summarize } from './lib/stats.js';
import { fmt, printGoals, printTable, type Cell, type Goal } from './lib/table.js';

const flags = intFlags({ viewers: 10_000, changes: 5 }, 'usage: bench/fanout.ts [--viewers V (≤ 10000)] [--changes N]');
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
  /** Live memory (heap + external) growth after GC, per viewer. */
  perViewer: number;
  rssPerViewer: number;
  connectSeconds: number;
}

interface Node {
  server: RunningServer;
  probe: string;
}

const probeDir = mkdtempSync(join(tmpdir(), 'live-drop-fanout-'));
async function startNode(databaseUrl?: string): Promise<Node> {
  const probe = join(probeDir, `gc-${Math.random().toString(36).slice(2)}.json`);
  const { nodeArgs, env } = gcProbe(probe);
  return { server: await startReferenceServer({ ...(databaseUrl ? { databaseUrl } : {}), nodeArgs, env, startTimeoutMs: 300_000 }), probe };
}
const live = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;

async function measure(setup: string, probed: Node[]): Promise<Result> {
  const nodes = probed.map((p) => p.server);
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
    const liveBefore = await Promise.all(probed.map((p) => memoryAfterGc(p.server.process.pid!, p.probe)));

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
    const liveAfter = await Promise.all(probed.map((p) => memoryAfterGc(p.server.process.pid!, p.probe)));
    const perViewer = liveAfter.reduce((sum, m, i) => sum + live(m) - live(liveBefore[i]), 0) / flags.viewers;
    const rssAfter = nodes.map((n) => rssBytes(n.process.pid!));
    const rssPerViewer = rssAfter.reduce((sum, r, i) => sum + r - rssBefore[i], 0) / flags.viewers;

    let missed = 0;
    for (let c = 1; c <= flags.changes; c++) {
      change = { available: 500_000 - c, sentAt: performance.now(), seen: new Uint8Array(flags.viewers), count: 0 };
      await host.json('PUT', routes.host.stock(target.drop.id, v.productId, v.variantId), {
        token: nodes[0].hostToken,
        body: { available: change.available },
      });
      const deadline = performance.now() + CHANGE_DEADLINE_MS;
      while (change.count < flags.viewers && performance.now() < deadline) await sleep(5);
      missed += flags.viewers - change.count;
      await sleep(300);
    }
    return { setup, samples: latencies, missed, perViewer, rssPerViewer, connectSeconds };
  } finally {
    for (const viewer of viewers) viewer.close();
    agent.destroy();
    host.close();
  }
}

const results: Result[] = [];
try {
  const single = await startNode();
  try {
    results.push(await measure('1 node, PGlite', [single]));
  } finally {
    await single.server.stop();
  }

  const database = await benchDatabase('fanout');
  const pg = database?.url;
  if (database && pg) {
    const one = await startNode(pg);
    try {
      results.push(await measure('1 node, PostgreSQL', [one]));
    } finally {
      await one.server.stop();
    }
    const nodes = [await startNode(pg), await startNode(pg)];
    try {
      results.push(await measure('2 nodes, PostgreSQL', nodes));
    } finally {
      await Promise.all(nodes.map((n) => n.server.stop()));
    }
    await database.drop();
  }
} finally {
  rmSync(probeDir, { recursive: true, force: true });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const rows: Cell[][] = results.map((r) => {
  const s = summarize(r.samples);
  return [r.setup, s.n, r.missed, s.p50, s.p99, s.max, kb(r.perViewer), kb(r.rssPerViewer), r.connectSeconds];
});
printTable(
  `fanout: ${flags.viewers} viewers from 253 loopback addresses, ${flags.changes} stock changes each`,
  ['setup', 'deliveries', 'missed', 'p50 ms', 'p99 ms', 'max ms', 'live mem/viewer', 'RSS/viewer', 'connect s'],
  rows,
);
const p99 = (setup: string) => {
  const r = results.find((x) => x.setup === setup);
  return r ? summarize(r.samples).p99 : Number.NaN;
};
const onePg = p99('1 node, PostgreSQL');
const twoPg = p99('2 nodes, PostgreSQL');
console.log(
  '\nlatency: from sending the stock PUT to the event reaching each viewer (client and servers share 2 cores);' +
    "\nlive mem/viewer: growth of the servers' V8 heap + external memory after a forced full GC, divided by V;" +
    '\nRSS/viewer: growth of their resident memory over the same span (includes what the allocator keeps).',
);
const writes =
  'one round of socket writes, one per viewer (~20–35 µs each on loopback, where the write also does the receiving TCP work), with the bench reading all of them on the same two cores';
const goals: Goal[] = [
  ...results
    .filter((r) => r.setup.startsWith('1 node'))
    .map((r) => ({ goal: `p99 ≤ 200 ms, ${r.setup}`, figure: `${fmt(p99(r.setup))} ms`, met: p99(r.setup) <= 200, limit: writes })),
  ...results.map((r) => ({ goal: `live memory ≤ 15 KB per viewer, ${r.setup}`, figure: kb(r.perViewer), met: r.perViewer <= 15 * 1024 })),
];
if (Number.isFinite(twoPg))
  goals.push({
    goal: 'two PostgreSQL nodes add ≤ 50 ms at p99',
    figure: `${fmt(twoPg - onePg)} ms (${fmt(twoPg)} against ${fmt(onePg)} on one node)`,
    met: twoPg - onePg <= 50,
  });
printGoals(`goals (issue 16), at ${flags.viewers} viewers:`, goals);
