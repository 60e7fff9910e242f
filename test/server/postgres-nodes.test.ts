import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { insertEvent, lockDropEvents, notify } from '../../server/storage/event-store.js';
import { setFeatured } from '../../server/storage/drop-store.js';
import { MAX_FEATURED_HISTORY, parseDrop } from '../../src/protocol/parse.js';
import { eventually, tee } from './support/api-client.js';
import { skipWithoutPostgres } from './support/postgres.js';
import { rush } from './support/rush.js';
import { twoPostgresNodes } from './support/two-nodes.js';

/**
 * Publishes "featured `productId`" on `dropId` as a node does, through `publisher`, and stops before COMMIT:
 * the event's id is taken and announced, its row not yet visible. Returns the id.
 */
async function featureUncommitted(publisher: pg.Client, dropId: string, productId: string): Promise<number> {
  const tx = { query: async (sql: string, params?: unknown[]) => (await publisher.query(sql, params)).rows };
  await publisher.query('BEGIN');
  await lockDropEvents(tx, dropId);
  const at = Date.now();
  await setFeatured(tx, dropId, productId, at, 10_000);
  const id = await insertEvent(tx, dropId, 'featured', { productId, at }, at);
  await notify(tx, 'live_drop_events', JSON.stringify({ d: dropId, i: id, t: 'featured', x: { productId, at } }));
  return id;
}

describe('two server nodes on one PostgreSQL', { skip: skipWithoutPostgres }, () => {
  const cluster = twoPostgresNodes('nodes');
  const { events } = cluster;

  it('shows a reservation made on node A as a stock event to a viewer of node B', async () => {
    const dropId = await cluster.a.createDrop({ products: [tee('tee', { s: 5 })] });
    const viewer = await events(cluster.b, dropId);
    await viewer.next('snapshot');
    const token = await cluster.a.newShopper();
    assert.equal(
      (await cluster.a.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 2 } }))
        .status,
      201,
    );
    const stock = await viewer.next('stock');
    assert.deepEqual(stock.data.levels, [{ productId: 'tee', variantId: 's', available: 3 }]);
  });

  it('accepts a shopper token from node A on node B, and the reservation is the same everywhere', async () => {
    const dropId = await cluster.a.createDrop();
    const token = await cluster.a.newShopper();
    const r = (
      await cluster.b.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } })
    ).body;
    assert.deepEqual((await cluster.a.call('GET', `/v1/reservations/${r.id}`, { token })).body, r);
  });

  it('gives the same event the same id on both nodes, so a viewer can resume on the other node', async () => {
    const dropId = await cluster.a.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    const onA = await events(cluster.a, dropId);
    const onB = await events(cluster.b, dropId);
    await onA.next('snapshot');
    await onB.next('snapshot');
    await cluster.b.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'a' });
    const [fa, fb] = await Promise.all([onA.next('featured'), onB.next('featured')]);
    assert.equal(fa.id, fb.id);
    onA.close();
    await cluster.a.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'b' });
    const resumed = await events(cluster.b, dropId, fa.id);
    const missed = await resumed.next('featured');
    assert.equal(missed.data.productId, 'b');
    assert.ok(!resumed.events.some((e) => e.type === 'snapshot'));
  });

  it('counts viewers on every node', async () => {
    const dropId = await cluster.a.createDrop();
    const onA = await events(cluster.a, dropId);
    await events(cluster.b, dropId);
    await onA.next('viewers', (e) => e.data.count === 2);
  });

  it('turns a scheduled drop live once, whichever node notices first', async () => {
    const dropId = await cluster.a.createDrop({ startsAt: Date.now() + 3_600_000 });
    const viewer = await events(cluster.b, dropId);
    await viewer.next('snapshot');
    await cluster.a.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() + 1000 });
    await viewer.next('status', (e) => e.data.status === 'live');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(viewer.events.filter((e) => e.type === 'status' && e.data.status === 'live').length, 1);
  });

  it('expires holds once even though both nodes sweep', async () => {
    const dropId = await cluster.a.createDrop({ holdMs: 1200, products: [tee('tee', { s: 4 }, { limitPerCustomer: 4 })] });
    const token = await cluster.a.newShopper();
    await cluster.a.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 3 } });
    await eventually(async () => (await cluster.b.call('GET', `/v1/drops/${dropId}`)).body.products[0].variants[0].available === 4, {
      what: 'the units to return',
    });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await cluster.b.call('GET', `/v1/drops/${dropId}`)).body.products[0].variants[0].available, 4, 'returned exactly once');
  });

  it('recovers when the database drops the listening connections, catching up on what was announced meanwhile', async () => {
    const dropId = await cluster.a.createDrop({ products: [tee('tee', { s: 9 }, { limitPerCustomer: 9 })] });
    const viewer = await events(cluster.b, dropId);
    await viewer.next('snapshot');
    const admin = new pg.Client({ connectionString: cluster.database.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      assert.equal(killed.rowCount, 2, 'one listening connection per node');
    } finally {
      await admin.end();
    }
    // Bought while node B may not be listening yet: it must still learn of it.
    const token = await cluster.a.newShopper();
    await cluster.a.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 4 } });
    await viewer.next('stock', (e) => e.data.levels[0].available === 5);
    await cluster.a.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } });
    await viewer.next('stock', (e) => e.data.levels[0].available === 4);
  });

  it("sends a viewer its drop's event that was still uncommitted when another drop's newer event arrived, also after a resume", async () => {
    const slow = await cluster.a.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    const busy = await cluster.a.createDrop();
    // A node publishing `slow`'s next event, paused before COMMIT: its id is taken, its row not yet visible.
    const publisher = new pg.Client({ connectionString: cluster.database.url });
    await publisher.connect();
    try {
      const id = await featureUncommitted(publisher, slow, 'b');
      // Meanwhile another drop's event commits with a larger id, and node B has seen it.
      const busyViewer = await events(cluster.b, busy);
      await busyViewer.next('snapshot');
      await cluster.a.host('POST', `/v1/host/drops/${busy}/feature`, { productId: 'tee' });
      assert.ok(Number((await busyViewer.next('featured')).id) > id);

      const viewer = await events(cluster.b, slow);
      const snapshot = await viewer.next('snapshot');
      assert.equal(snapshot.data.featured, null, 'the snapshot cannot see the uncommitted change');
      const resumed = await events(cluster.a, slow, snapshot.id);
      await publisher.query('COMMIT');
      for (const v of [viewer, resumed]) assert.equal((await v.next('featured')).data.productId, 'b');
    } finally {
      await publisher.end();
    }
  });

  it("catches up, after the listening connection was lost, on its drop's event that committed below another drop's newer id", async () => {
    const slow = await cluster.a.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    const busy = await cluster.a.createDrop();
    const viewer = await events(cluster.b, slow);
    await viewer.next('snapshot');
    const busyViewer = await events(cluster.b, busy);
    await busyViewer.next('snapshot');
    const publisher = new pg.Client({ connectionString: cluster.database.url });
    const admin = new pg.Client({ connectionString: cluster.database.url });
    await publisher.connect();
    await admin.connect();
    try {
      await featureUncommitted(publisher, slow, 'b');
      await cluster.a.host('POST', `/v1/host/drops/${busy}/feature`, { productId: 'tee' });
      await busyViewer.next('featured');
      // Both nodes stop listening; the paused event commits while nobody hears its NOTIFY.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      await publisher.query('COMMIT');
      assert.equal((await viewer.next('featured')).data.productId, 'b');
    } finally {
      await publisher.end();
      await admin.end();
    }
  });

  it('keeps only the newest featured history the clients accept, so every element can still load the drop', async () => {
    const dropId = await cluster.a.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    const admin = new pg.Client({ connectionString: cluster.database.url });
    await admin.connect();
    const stored = async () =>
      Number((await admin.query('SELECT COUNT(*) AS n FROM featured_history WHERE drop_id = $1', [dropId])).rows[0].n);
    try {
      // Longer than the protocol allows, as a long show under an older version left it.
      await admin.query(
        `INSERT INTO featured_history (drop_id, product_id, at) SELECT $1, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, i FROM generate_series(1, $2) i`,
        [dropId, MAX_FEATURED_HISTORY + 5],
      );
      assert.equal(parseDrop((await cluster.b.call('GET', `/v1/drops/${dropId}`)).body).featuredHistory.length, MAX_FEATURED_HISTORY);
      await cluster.a.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'a' });
      const history = parseDrop((await cluster.b.call('GET', `/v1/drops/${dropId}`)).body).featuredHistory;
      assert.equal(history.length, MAX_FEATURED_HISTORY);
      assert.equal(history.at(-1)!.productId, 'a', 'the newest entry is kept');
      assert.equal(history[0].at, 7, 'the oldest go');
      assert.equal(await stored(), MAX_FEATURED_HISTORY, 'and are deleted');
    } finally {
      await admin.end();
    }
  });

  it('never oversells in a rush spread over both nodes', async () => {
    const result = await rush([cluster.a, cluster.b], { shoppers: 400 });
    assert.ok(result.accepted > 0);
    console.log(`# rush on PostgreSQL, two nodes: ${result.answers} reservations in ${result.elapsedMs} ms, ${result.accepted} accepted`);
  });
});
