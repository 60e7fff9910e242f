/**
 * Viewers hopping between two PostgreSQL nodes while both publish for one
 * drop, and node B restarting: every reconnection resumes with Last-Event-ID,
 * and every viewer must end up with every event of the drop after its one
 * snapshot, each once, in id order.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loopbackAddress } from '../support/loopback.js';
import { startReferenceServer } from '../support/reference-server.js';
import { tee, type Api } from './support/api-client.js';
import type { SseEvent } from './support/event-client.js';
import { skipWithoutPostgres } from './support/postgres.js';
import { twoPostgresNodes } from './support/two-nodes.js';

const VIEWERS = 8;
const DISTURBANCES = 3;
/** A buffer that holds the whole test's events (every resume is served without a new snapshot); shoppers reserve unhindered. */
const NODE_ARGS = ['--event-buffer', '20000', '--max-holds-per-ip', 'off', '--rate-reserve', 'off'];

describe('resuming event streams on two PostgreSQL nodes that both publish', { skip: skipWithoutPostgres, timeout: 240_000 }, () => {
  const cluster = twoPostgresNodes('resume', { args: NODE_ARGS });

  /**
   * The load and the hopping viewers around `disturb` (run 3 times, 1.2 s apart); `pause(node)` makes whoever wants
   * that node wait until it is resolved, as a client pinned to a node would wait for it.
   */
  async function hoppingViewers(
    t: TestContext,
    disturb: (pause: (node: number, until: Promise<void>) => void) => Promise<void>,
  ): Promise<{ resumesOnFreshNode: number }> {
    const { a, b, database } = cluster;
    const dropId = await a.createDrop({ products: [tee('tee', { s: 100_000 }, { limitPerCustomer: 1000 })] });
    const apis: Api[] = [a, b];
    const paused: (Promise<void> | null)[] = [null, null];
    const up = async (i: number) => {
      while (paused[i]) await paused[i];
      return apis[i];
    };
    let publishing = true;
    const tolerant = (request: Promise<unknown>) => request.catch(() => null); // a node going down refuses some

    // Both nodes publish all the time: the host features and chats, shoppers reserve.
    const host = async (i: number) => {
      for (let n = 0; publishing; n++) {
        const api = await up(i);
        await tolerant(api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'tee' }));
        await tolerant(api.host('POST', `/v1/drops/${dropId}/chat`, { text: `host on ${'AB'[i]} #${n}`, name: 'Host' }));
        await sleep(5);
      }
    };
    const shopper = async (i: number) => {
      const from = loopbackAddress(100 + i);
      const token = await a.newShopper(from);
      while (publishing) {
        const api = await up(i % 2);
        const body = { productId: 'tee', variantId: 's', quantity: 1 };
        await tolerant(api.call('POST', `/v1/drops/${dropId}/reservations`, { token, from, body }));
        await sleep(20);
      }
    };

    // Viewers: each connection to a random node lasts a moment, the next one resumes from the last event it got.
    // Once the load is over, `newest` is the drop's newest event: each viewer's last connection waits for it.
    let newest: number | null = null;
    let resumes = 0;
    let resumesOnFreshNode = 0;
    const started = [Date.now(), Date.now()];
    const viewer = async () => {
      const seen: SseEvent[] = [];
      const connections: string[] = [];
      let closedAt = 0;
      for (;;) {
        const i = Math.random() < 0.5 ? 0 : 1;
        const lastEventId = seen.at(-1)?.id;
        const c = await cluster.events(await up(i), dropId, lastEventId).catch(() => null);
        if (!c || c.status !== 200) {
          c?.close();
          await sleep(20);
          continue;
        }
        if (lastEventId !== undefined) {
          resumes++;
          if (closedAt < started[i]) resumesOnFreshNode++; // its last event came before this node started
        }
        if (newest === null) await sleep(30 + Math.random() * 300);
        else
          for (const deadline = Date.now() + 15_000; Date.now() < deadline && !(Number(c.events.at(-1)?.id) >= newest!);) await sleep(20);
        c.close();
        const ids = c.events.map((e) => e.id);
        connections.push(`${'AB'[i]} after ${lastEventId ?? '(none)'}: ${ids.length ? `${ids[0]}…${ids.at(-1)}` : 'nothing'}`);
        seen.push(...c.events);
        closedAt = Date.now();
        if (newest !== null) return { seen, connections };
      }
    };

    const load = Promise.all([host(0), host(1), ...Array.from({ length: 4 }, (_, i) => shopper(i))]);
    const watching = Array.from({ length: VIEWERS }, viewer);
    for (let r = 0; r < DISTURBANCES; r++) {
      await sleep(1200);
      await disturb((node, until) => {
        paused[node] = until.finally(() => {
          paused[node] = null;
          started[node] = Date.now();
        });
      });
    }
    await sleep(1000);
    publishing = false;
    await load;
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const rows = (await db.query<{ id: string; type: string }>('SELECT id, type FROM drop_events WHERE drop_id = $1 ORDER BY id', [dropId]))
      .rows;
    const ids = rows.map((r) => Number(r.id));
    const types = new Map<string, number>();
    for (const r of rows) types.set(r.type, (types.get(r.type) ?? 0) + 1);
    await db.end();
    newest = ids.at(-1)!;
    const viewers = await Promise.all(watching);

    t.diagnostic(
      `${ids.length} events (${[...types].map(([k, n]) => `${n} ${k}`).join(', ')}), ${resumes} resumes, ${resumesOnFreshNode} from before the node they resumed on came back`,
    );
    // A second snapshot is a resync the protocol allows (a node that cannot serve a resume sends one; the rolling-restart
    // test holds viewers to one). What must never happen is a resume that skips events: after the first snapshot every
    // event of the drop arrives once and in order, except those a later snapshot already contains.
    let resyncs = 0;
    for (const [n, { seen, connections }] of viewers.entries()) {
      assert.equal(seen[0]?.type, 'snapshot', `viewer ${n} starts with a snapshot`);
      const got: number[] = [];
      const covered = new Set<number>();
      let last = Number(seen[0].id);
      for (const e of seen.slice(1)) {
        const id = Number(e.id);
        if (e.type === 'snapshot') {
          resyncs++;
          t.diagnostic(`viewer ${n} got another snapshot at ${id} after ${last}; its connections: ${connections.join('; ')}`);
          for (const x of ids) if (x > last && x <= id) covered.add(x);
        } else if (id <= newest) got.push(id); // later ones (viewer counts as the viewers leave) are beyond what was waited for
        last = Math.max(last, id);
      }
      const want = ids.filter((id) => id > Number(seen[0].id) && !covered.has(id));
      const missing = want.filter((id) => !got.includes(id));
      assert.deepEqual(
        got,
        want,
        `viewer ${n} got ${got.length} events of ${want.length}, missing ${missing.slice(0, 5).join(', ')}…; its connections: ${connections.join('; ')}`,
      );
    }
    t.diagnostic(`${resyncs} resyncs (a second snapshot) in ${resumes} resumes`);
    return { resumesOnFreshNode };
  }

  it('resumes on the other node from a snapshot read before the drop had any event (id 0), without another snapshot', async () => {
    const { a, b } = cluster;
    const dropId = await a.createDrop({ products: [tee('tee', { s: 10 })] });
    const first = await cluster.events(a, dropId);
    const snapshot = await first.next('snapshot');
    first.close();
    assert.equal(snapshot.id, '0', 'a new drop has no event yet');
    const resumed = await cluster.events(b, dropId, snapshot.id);
    await a.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'tee' });
    await resumed.next('featured');
    assert.ok(!resumed.events.some((e) => e.type === 'snapshot'), `no second snapshot: ${resumed.events.map((e) => e.type).join(', ')}`);
  });

  it('gives every viewer every event once and in order while it hops between the nodes and node B restarts', async (t) => {
    const { resumesOnFreshNode } = await hoppingViewers(t, async (pause) => {
      const port = Number(new URL(cluster.b.url).port);
      let back!: () => void;
      pause(1, new Promise((resolve) => (back = resolve)));
      await cluster.nodes[1].stop();
      await sleep(300);
      cluster.nodes[1] = await startReferenceServer({ args: NODE_ARGS, databaseUrl: cluster.database.url, port });
      back();
    });
    assert.ok(resumesOnFreshNode > 0, 'some viewers resumed on a node that came back after their last event');
  });

  it("gives every viewer every event once and in order while the database drops both nodes' listening connections", async (t) => {
    const admin = new pg.Client({ connectionString: cluster.database.url });
    await admin.connect();
    try {
      await hoppingViewers(t, async () => {
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
        );
        assert.equal(killed.rowCount, 2, 'one listening connection per node');
        const listening = async () =>
          (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`)).rowCount === 2;
        for (const deadline = Date.now() + 10_000; !(await listening()) && Date.now() < deadline;) await sleep(50);
      });
    } finally {
      await admin.end();
    }
  });
});
