/**
 * chat: V viewers hold one drop's event stream on one node while shoppers post
 * R chat messages per second; how long until a message reaches the viewers,
 * how many events each viewer gets per second, and what a viewer costs the server.
 *   node --import tsx bench/chat.ts [--viewers 10000] [--rate 50] [--seconds 20] [--sampled 500]
 * One server on PGlite, the chat's limits at their defaults (one message per
 * shopper per 2 s: the posters are rate × 4 shoppers taking turns). Latency
 * runs from sending a message's POST to the arrival of the `chat` event that
 * carries it, at `--sampled` viewers spread over the crowd (parsing every
 * event at all 10,000 would measure this process, not the server); every
 * viewer counts its events. Memory per viewer as in bench/fanout.ts: the
 * growth of the server's live memory after a forced full GC, / V, measured
 * once the viewers are connected and again after the posting.
 */
import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { joinUrl, routes } from '../src/protocol/routes.js';
import { loopbackAddress } from '../test/support/loopback.js';
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { createRushDrop } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { gcProbe, memoryAfterGc, rssBytes } from './lib/process-memory.js';
import { SseClient } from './lib/sse-client.js';
import { summarize } from './lib/stats.js';
import { fmt, printTable } from './lib/table.js';

const flags = intFlags(
  { viewers: 10_000, rate: 50, seconds: 20, sampled: 500 },
  'usage: bench/chat.ts [--viewers V] [--rate messages/s] [--seconds S] [--sampled N]',
);
const CONNECT_BATCH = 250;

const probeDir = mkdtempSync(join(tmpdir(), 'live-drop-chat-bench-'));
const probe = join(probeDir, 'gc.json');
const { nodeArgs, env } = gcProbe(probe);
const server = await startReferenceServer({ nodeArgs, env, startTimeoutMs: 300_000 });
const pid = server.process.pid!;
const live = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
const host = new HttpClient(server.url, { maxSockets: 64, spreadSources: true });
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const clients: SseClient[] = [];

try {
  const { drop } = await createRushDrop(host, server.hostToken, { stock: 100, variants: 1 });
  const url = joinUrl(server.url, routes.events(drop.id));

  /** Send time of each message by its text, and who of the sampled viewers has it. */
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const chatEvents = new Uint32Array(flags.viewers);
  const allEvents = new Uint32Array(flags.viewers);
  const sampleEvery = Math.max(1, Math.floor(flags.viewers / Math.max(1, flags.sampled)));
  let delivered = 0;
  let counting = false;

  const warm = new SseClient({ url, agent, onEvent: () => {} });
  warm.connect();
  clients.push(warm);
  await sleep(1000);
  const rssBefore = rssBytes(pid);
  const liveBefore = await memoryAfterGc(pid, probe);

  const connectStarted = performance.now();
  for (let i = 0; i < flags.viewers; i += CONNECT_BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(i + CONNECT_BATCH, flags.viewers); j++) {
      const index = j;
      const sampled = index % sampleEvery === 0;
      batch.push(
        new Promise<void>((ready) => {
          const client = new SseClient({
            url,
            agent,
            localAddress: loopbackAddress(index),
            onEvent: (m, at) => {
              if (m.type === 'snapshot') return ready();
              if (!counting) return;
              allEvents[index]++;
              if (m.type !== 'chat') return;
              chatEvents[index]++;
              if (!sampled) return;
              for (const message of (JSON.parse(m.data) as { messages: { text: string }[] }).messages) {
                const sent = sentAt.get(message.text);
                if (sent === undefined) continue;
                latencies.push(at - sent);
                delivered++;
              }
            },
          });
          client.connect();
          clients.push(client);
        }),
      );
    }
    await Promise.all(batch);
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  await sleep(1500);
  const liveConnected = await memoryAfterGc(pid, probe);
  const rssConnected = rssBytes(pid);

  // Posters: each shopper posts once every 4 s, so the per-shopper limit (1 per 2 s) is never what refuses.
  const posters = await Promise.all(
    Array.from({ length: flags.rate * 4 }, async (_, i) => ({
      token: (await host.json<{ shopperToken: string }>('POST', routes.shoppers(), { localAddress: loopbackAddress(i) })).shopperToken,
      name: `Viewer ${i}`,
    })),
  );
  counting = true;
  const started = performance.now();
  let sent = 0;
  let refused = 0;
  const posts: Promise<void>[] = [];
  for (let n = 0; performance.now() - started < flags.seconds * 1000; n++) {
    const due = started + (n * 1000) / flags.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const poster = posters[n % posters.length];
    const text = `message ${n}: does it run small?`;
    sentAt.set(text, performance.now());
    sent++;
    posts.push(
      host
        .request('POST', routes.chat(drop.id), { token: poster.token, body: { text, name: poster.name } })
        .then((res) => void (res.status === 201 || refused++)),
    );
  }
  await Promise.all(posts);
  const postedSeconds = (performance.now() - started) / 1000;
  await sleep(2000);
  counting = false;
  const liveAfter = await memoryAfterGc(pid, probe);

  const s = summarize(latencies);
  const sampledViewers = Math.ceil(flags.viewers / sampleEvery);
  const expected = (sent - refused) * sampledViewers;
  const perViewerPerSecond = (counts: Uint32Array) => counts.reduce((a, b) => a + b, 0) / flags.viewers / (postedSeconds + 2);
  const maxPerSecond = (counts: Uint32Array) => counts.reduce((a, b) => Math.max(a, b), 0) / (postedSeconds + 2);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  printTable(
    `chat: ${flags.viewers} viewers on one node (PGlite), ${flags.rate} messages/s for ${flags.seconds} s`,
    [
      'messages',
      'refused',
      'deliveries',
      'missed',
      'p50 ms',
      'p99 ms',
      'max ms',
      'chat ev/viewer/s',
      'max chat ev/s',
      'all ev/viewer/s',
      'live mem/viewer',
      'after chat',
      'RSS/viewer',
      'connect s',
    ],
    [
      [
        sent,
        refused,
        s.n,
        expected - delivered,
        s.p50,
        s.p99,
        s.max,
        perViewerPerSecond(chatEvents),
        maxPerSecond(chatEvents),
        perViewerPerSecond(allEvents),
        kb((live(liveConnected) - live(liveBefore)) / flags.viewers),
        kb((live(liveAfter) - live(liveBefore)) / flags.viewers),
        kb((rssConnected - rssBefore) / flags.viewers),
        connectSeconds,
      ],
    ],
  );
  console.log(
    `\nlatency: from sending a message's POST to the chat event carrying it, at ${sampledViewers} sampled viewers (client and server share the machine's 2 cores);` +
      '\nev/viewer/s: events each viewer received per second while messages were posted (chat alone, and every type: viewers, reactions, chat);' +
      "\nlive mem/viewer: growth of the server's V8 heap + external memory after a forced full GC, / V, once connected and after the chat." +
      `\ngoals (issue 19): p99 ≤ 300 ms (here ${fmt(s.p99)} ms); ≤ 10 events per viewer per second (here ${fmt(perViewerPerSecond(allEvents))}); memory within the fan-out goal, ≤ 15 KB per viewer.`,
  );
} finally {
  for (const c of clients) c.close();
  agent.destroy();
  host.close();
  await server.stop();
  rmSync(probeDir, { recursive: true, force: true });
}
