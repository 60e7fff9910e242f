/**
 * A rolling restart during a rush: two nodes on one PostgreSQL behind a
 * round-robin proxy; shoppers keep reserving (retrying with the same
 * Idempotency-Key when a node refuses or is gone, as the elements do), the
 * host keeps featuring products, and viewers follow the drop's event stream
 * reconnecting with Last-Event-ID as EventSource does. Node A gets SIGTERM,
 * drains, exits and comes back; then node B. Afterwards every reservation
 * a shopper was told about (201) exists exactly once, stock adds up, and every
 * viewer received every event of the drop, in order, after its one snapshot.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { routes, joinUrl } from '../../src/protocol/routes.js';
import type { FeaturedProduct, SalesReport } from '../../src/protocol/types.js';
import { createRushDrop, createShoppers } from '../../bench/lib/drop-fixture.js';
import { HttpClient } from '../../bench/lib/http-client.js';
import { SseClient } from '../../bench/lib/sse-client.js';
import { loopbackAddress } from '../support/loopback.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { freshDatabase, skipWithoutPostgres } from './support/postgres.js';

const VIEWERS = 16;
const STOCK = 3000;

/** A viewer that records every event id it is sent, and the stock it shows. */
function recordingViewer(url: string, agent: Agent) {
  const seen: { id: number; type: string }[] = [];
  const stock = new Map<string, number>();
  const client = new SseClient({
    url,
    agent,
    onEvent: (m) => {
      seen.push({ id: Number(m.id), type: m.type });
      const data = JSON.parse(m.data);
      if (m.type === 'snapshot') for (const p of data.products) for (const v of p.variants) stock.set(`${p.id}/${v.id}`, v.available);
      if (m.type === 'stock') for (const l of data.levels) stock.set(`${l.productId}/${l.variantId}`, l.available);
    },
  });
  client.connect();
  return { client, seen, stock, snapshots: () => seen.filter((e) => e.type === 'snapshot').length };
}

describe('rolling restart', { skip: skipWithoutPostgres, timeout: 300_000 }, () => {
  it('loses no acknowledged reservation and no event while both nodes restart one after the other during a rush', async (t: TestContext) => {
    const database = await freshDatabase('rolling');
    const options = { databaseUrl: database.url, args: ['--drain-seconds', '10'] };
    const nodes: RunningServer[] = [await startReferenceServer(options), await startReferenceServer(options)];
    const ports = nodes.map((n) => Number(new URL(n.url).port));
    const proxy = await startFaultProxy(nodes.map((n) => n.url));
    const client = new HttpClient(proxy.url, { maxSockets: 16 });
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const hostToken = nodes[0].hostToken;
    const viewers: ReturnType<typeof recordingViewer>[] = [];
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const target = await createRushDrop(client, hostToken, { stock: STOCK, variants: 3 });
      const dropId = target.drop.id;
      await client.json('PUT', routes.host.product(dropId, 'cap'), {
        token: hostToken,
        body: {
          id: 'cap',
          title: 'Cap',
          prices: [{ currency: 'USD', amount: 2500 }],
          variants: [{ id: 'one', label: 'One size', stock: 10 }],
          limitPerCustomer: 1,
        },
      });
      for (let i = 0; i < VIEWERS; i++) viewers.push(recordingViewer(joinUrl(proxy.url, routes.events(dropId)), agent));
      const tokens = await createShoppers(client, 200, 16);

      // Shoppers reserve one unit at a time until the restarts are over, each
      // reservation retried with its key until it gets a real answer.
      let restarting = true;
      let next = 0;
      const acknowledged: { id: string; token: string }[] = [];
      const answers = new Map<number, number>();
      let retries = 0;
      const shopper = async () => {
        while (restarting) {
          const i = next++ % tokens.length;
          const key = randomUUID();
          const v = target.variants[i % target.variants.length];
          for (let attempt = 0; ; attempt++) {
            const res = await client
              .request('POST', routes.reservations(dropId), {
                token: tokens[i],
                headers: { 'idempotency-key': key },
                body: { productId: v.productId, variantId: v.variantId, quantity: 1 },
                timeoutMs: 20_000,
                localAddress: loopbackAddress(i),
              })
              .catch(() => ({ status: 0, text: '' }));
            if (res.status === 201) acknowledged.push({ id: JSON.parse(res.text).id, token: tokens[i] });
            if (res.status !== 0 && res.status < 500) {
              answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
              break;
            }
            retries++;
            assert.ok(attempt < 200, `shopper ${i} never got an answer`);
            await sleep(50 + Math.random() * 100);
          }
          await sleep(30);
        }
      };
      // The host: features the two products in turn, retrying through the proxy likewise.
      const featured: FeaturedProduct[] = [];
      const host = async () => {
        for (let step = 0; restarting; step++) {
          const res = await client
            .request('POST', routes.host.feature(dropId), { token: hostToken, body: { productId: step % 2 ? 'cap' : 'sneaker' } })
            .catch(() => ({ status: 0, text: '' }));
          if (res.status === 200) featured.push(JSON.parse(res.text));
          await sleep(250);
        }
      };
      const load = Promise.all([...Array.from({ length: 6 }, shopper), host()]);

      // The rolling restart: each node in turn drains, exits and comes back on its port.
      await sleep(1500);
      for (const i of [0, 1]) {
        const signalled = Date.now();
        nodes[i].process.kill('SIGTERM');
        assert.equal(await nodes[i].exited, 0, `node ${'AB'[i]} exits cleanly`);
        t.diagnostic(`node ${'AB'[i]} drained and exited in ${Date.now() - signalled} ms`);
        await nodes[i].stop();
        nodes[i] = await startReferenceServer({ ...options, port: ports[i] });
        await sleep(1500);
      }
      restarting = false;
      await load;

      // Every acknowledged reservation is there, once; nothing else was made; stock adds up.
      t.diagnostic(
        `${acknowledged.length} reservations granted, answers ${JSON.stringify(Object.fromEntries(answers))}, ${retries} retries, ${featured.length} featurings`,
      );
      assert.ok(retries > 0, 'the restarts were felt: some requests had to be retried');
      assert.ok(acknowledged.length > 200, 'a rush, not a trickle');
      const stored = await db.query<{ id: string }>('SELECT id FROM reservations WHERE drop_id = $1', [dropId]);
      assert.deepEqual(
        stored.rows.map((r) => r.id).sort(),
        acknowledged.map((a) => a.id).sort(),
        'the reservations stored are exactly those acknowledged',
      );
      for (const a of acknowledged.slice(0, 40)) {
        const res = await client.request('GET', routes.reservation(a.id), { token: a.token });
        assert.equal(res.status, 200);
        assert.equal(JSON.parse(res.text).status, 'held');
      }
      const sales = await client.json<SalesReport>('GET', routes.host.sales(dropId), { token: hostToken });
      const sneaker = sales.variants.filter((v) => v.productId === 'sneaker');
      assert.equal(
        sneaker.reduce((n, v) => n + v.available + v.held, 0),
        STOCK,
        'available + held == stock',
      );
      const truth = new Map(sales.variants.map((v) => [`${v.productId}/${v.variantId}`, v.available]));

      // Every viewer: one snapshot, then every event of the drop after it, in order, none twice.
      const expected = async () =>
        (await db.query<{ id: string }>('SELECT id FROM drop_events WHERE drop_id = $1 ORDER BY id', [dropId])).rows.map((r) =>
          Number(r.id),
        );
      let complaint = '';
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(200)) {
        const ids = await expected();
        complaint = '';
        for (const [n, v] of viewers.entries()) {
          const snapshot = v.seen.find((e) => e.type === 'snapshot');
          const wrongStock = [...truth].find(([key, available]) => v.stock.get(key) !== available);
          if (!snapshot) complaint = `viewer ${n} has no snapshot`;
          else if (wrongStock)
            complaint = `viewer ${n} shows ${wrongStock[0]} = ${v.stock.get(wrongStock[0])}, the server ${wrongStock[1]}`;
          else if (v.snapshots() !== 1)
            complaint = `viewer ${n} needed ${v.snapshots()} snapshots: a resume was not served from the buffer`;
          else {
            const got = v.seen.filter((e) => e.type !== 'snapshot').map((e) => e.id);
            const want = ids.filter((id) => id > snapshot.id);
            if (got.join() !== want.join())
              complaint = `viewer ${n} got ${got.length} events, the drop has ${want.length} after its snapshot; first difference at ${want.find((id, k) => got[k] !== id)}`;
          }
          if (complaint) break;
        }
        if (!complaint) break;
      }
      const reconnects = viewers.map((v) => v.client.connections - 1);
      t.diagnostic(`viewers reconnected ${reconnects.reduce((a, b) => a + b, 0)} times in all (each at least ${Math.min(...reconnects)})`);
      assert.equal(complaint, '');
      assert.ok(
        reconnects.every((n) => n >= 1),
        'every viewer was moved at least once',
      );
    } finally {
      for (const v of viewers) v.client.close();
      agent.destroy();
      client.close();
      await proxy.close();
      await Promise.all(nodes.map((n) => n.stop()));
      await db.end();
      await database.drop();
    }
  });
});
