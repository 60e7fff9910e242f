/**
 * Cut streams: viewers follow a drop's event stream through a TCP proxy that
 * cuts their connections at random, and reconnect with Last-Event-ID as a
 * browser's EventSource would. Meanwhile the host changes stock, shoppers
 * reserve, and the host features one product after another. Once the cutting
 * stops, every viewer's stock must equal the server's and every viewer must
 * have learnt of every featuring (from `featured` events or a snapshot's
 * history), ending on the current one. On PostgreSQL the same runs against
 * two nodes behind a round-robin proxy, so a viewer often resumes on the
 * other node than the one it was cut from, and every change is made on node A.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { routes } from '../../src/protocol/routes.js';
import type { Drop, FeaturedProduct } from '../../src/protocol/types.js';
import { createDrop, createShoppers } from '../../bench/lib/drop-fixture.js';
import { DropViewer, featuredKey, variantKey } from '../../bench/lib/drop-viewer.js';
import { HttpClient } from '../../bench/lib/http-client.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { loopbackAddress } from '../support/loopback.js';
import { startReferenceServer, type RunningServer, type ServerOptions } from '../support/reference-server.js';
import { freshDatabase, skipWithoutPostgres } from './support/postgres.js';

const VIEWERS = 24;
const CHAOS_MS = 8000;
const PRODUCTS = ['cap', 'tee', 'hoodie'];

/** Polls `check` until it returns '' (done) or the deadline passes; returns the last complaint. */
async function settle(check: () => string, deadlineMs: number): Promise<{ complaint: string; ms: number }> {
  const started = Date.now();
  let complaint = check();
  while (complaint && Date.now() - started < deadlineMs) {
    await sleep(50);
    complaint = check();
  }
  return { complaint, ms: Date.now() - started };
}

async function cutStreams(t: TestContext, nodes: RunningServer[]): Promise<void> {
  const [a] = nodes;
  const client = new HttpClient(a.url, { maxSockets: 8 });
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const proxy = await startFaultProxy(nodes.map((n) => n.url));
  const viewers: DropViewer[] = [];
  try {
    const drop = await createDrop(client, a.hostToken, {
      title: 'Cut streams',
      startsAt: Date.now() - 1000,
      holdMs: 30 * 60_000,
      products: PRODUCTS.map((id) => ({
        id,
        title: id,
        prices: [{ currency: 'EUR', amount: 2500 }],
        variants: ['s', 'm', 'l'].map((v) => ({ id: v, label: v.toUpperCase(), stock: 500 })),
        limitPerCustomer: 5,
      })),
    });
    await client.json('POST', routes.host.start(drop.id), { token: a.hostToken });
    for (let i = 0; i < VIEWERS; i++)
      viewers.push(
        new DropViewer({ backend: proxy.url, dropId: drop.id, agent, maxReconnectMs: 250, localAddress: loopbackAddress(i) }).connect(),
      );
    await Promise.all(viewers.map((v) => v.ready));
    const shoppers = await createShoppers(client, 40);

    // The chaos: every 100–400 ms about a third of the streams is cut, and now and then new connections are refused for a moment.
    const chaosEnds = Date.now() + CHAOS_MS;
    let cuts = 0;
    const chaos = (async () => {
      while (Date.now() < chaosEnds) {
        await sleep(100 + Math.random() * 300);
        if (Math.random() < 0.15) proxy.refuse(150 + Math.random() * 300);
        else cuts += proxy.cutSome(0.35);
      }
      proxy.restore();
    })();
    const featured: FeaturedProduct[] = [];
    const feature = async (productId: string) =>
      featured.push(await client.json<FeaturedProduct>('POST', routes.host.feature(drop.id), { token: a.hostToken, body: { productId } }));
    for (let step = 1; Date.now() < chaosEnds; step++) {
      const product = PRODUCTS[step % PRODUCTS.length];
      const variant = ['s', 'm', 'l'][(step * 7) % 3];
      if (step % 5 === 0) await feature(product);
      else if (step % 2 === 0) {
        await client.json('PUT', routes.host.stock(drop.id, product, variant), {
          token: a.hostToken,
          body: { available: 100 + ((step * 37) % 400) },
        });
      } else {
        const res = await client.request('POST', routes.reservations(drop.id), {
          token: shoppers[step % shoppers.length],
          localAddress: loopbackAddress(step % shoppers.length),
          headers: { 'idempotency-key': `cut-${step}` },
          body: { productId: product, variantId: variant, quantity: 1 },
        });
        assert.ok(res.status === 201 || res.status === 409, `reserve → ${res.status} ${res.text}`);
      }
      await sleep(40);
    }
    // One last featuring, which every viewer must learn of too.
    await feature('hoodie');
    await chaos;

    const reconnects = viewers.reduce((n, v) => n + v.client.connections - 1, 0);
    const snapshots = viewers.reduce((n, v) => n + v.snapshots, 0);
    t.diagnostic(
      `${cuts} connections cut, ${reconnects} reconnects, ${snapshots - VIEWERS} resumes answered with a fresh snapshot, ${featured.length} featurings`,
    );
    assert.ok(cuts >= VIEWERS, `the proxy cut at least ${VIEWERS} connections (cut ${cuts})`);
    assert.ok(
      viewers.every((v) => v.client.connections > 1),
      'every viewer was cut at least once',
    );

    const truth = await client.json<Drop>('GET', routes.drop(drop.id));
    const expected = new Map(truth.products.flatMap((p) => p.variants.map((v) => [variantKey(p.id, v.id), v.available] as const)));
    const { complaint, ms } = await settle(() => {
      for (const [i, v] of viewers.entries()) {
        for (const [key, available] of expected) {
          if (v.stock.get(key) !== available) return `viewer ${i} has ${key} = ${v.stock.get(key)}, the server ${available}`;
        }
        if (v.featured !== 'hoodie') return `viewer ${i} features ${v.featured}`;
        // Hoodie was featured before too: only the full history says the last featuring has arrived.
        const missed = featured.filter((f) => !v.featuredSeen.has(featuredKey(f)));
        if (missed.length) return `viewer ${i} missed featurings ${JSON.stringify(missed)}`;
      }
      return '';
    }, 15_000);
    t.diagnostic(`every viewer matched the server ${ms} ms after the cutting stopped`);
    assert.equal(complaint, '');
  } finally {
    for (const v of viewers) v.close();
    agent.destroy();
    client.close();
    await proxy.close();
  }
}

describe('cut streams', { timeout: 90_000 }, () => {
  it('brings every viewer to the server stock and the full featured history after random cuts', async (t) => {
    const server = await startReferenceServer();
    try {
      await cutStreams(t, [server]);
    } finally {
      await server.stop();
    }
  });

  it('does the same with two nodes on one PostgreSQL, viewers resuming on either node', { skip: skipWithoutPostgres }, async (t) => {
    const database = await freshDatabase('streams');
    const options: ServerOptions = { databaseUrl: database.url };
    const nodes = [await startReferenceServer(options), await startReferenceServer(options)];
    try {
      await cutStreams(t, nodes);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
      await database.drop();
    }
  });
});
