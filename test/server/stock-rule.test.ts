/**
 * One rule for stock: every unit of a variant is available, held (a
 * reservation with status `held`, lapsed or not), sold, or not on sale, so
 * available + held + sold = stock after every commit, whatever runs at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SalesReport } from '../../src/protocol/types.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, tee, type Api } from './support/api-client.js';

describe('one rule for stock', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer();
    api = apiFor(server);
  });
  after(() => server.stop());

  const reserve = (dropId: string, token: string, variantId = 's') =>
    api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId, quantity: 1 } });
  const sales = async (dropId: string) => (await api.host('GET', `/v1/host/drops/${dropId}/sales`)).body as SalesReport;
  const assertBalanced = (report: SalesReport) => {
    for (const v of report.variants)
      assert.equal(
        v.available + v.held + v.sold,
        v.stock,
        `${v.productId}/${v.variantId}: available ${v.available} + held ${v.held} + sold ${v.sold} = stock ${v.stock}`,
      );
  };

  it('sells a unit once when the host re-sends the product just after a hold lapsed and before the sweeper returned it', async () => {
    const product = tee('tee', { s: 1 }, { limitPerCustomer: 1 });
    const dropId = await api.createDrop({ holdMs: 1000, products: [product] });
    const first = await reserve(dropId, await api.newShopper());
    assert.equal(first.status, 201);
    // A few ms after expiresAt: lapsed, and (the sweeper runs every 500 ms) most likely not yet swept.
    await sleep(Math.max(0, first.body.expiresAt + 3 - Date.now()));
    assert.equal((await api.host('PUT', `/v1/host/drops/${dropId}/products/tee`, product)).status, 200);
    await sleep(1200); // the sweeper has run

    const [b, c] = [await api.newShopper(), await api.newShopper()];
    const held = await Promise.all([reserve(dropId, b), reserve(dropId, c)]);
    const orders = await Promise.all(
      held.filter((r) => r.status === 201).map((r) => api.host('POST', `/v1/reservations/${r.body.id}/confirm`)),
    );
    assert.equal(orders.filter((o) => o.status === 201).length, 1, 'one unit, one order');
    const report = await sales(dropId);
    assert.equal(report.variants[0].sold, 1);
    assertBalanced(report);
  });

  it('keeps held and sold units when the host sets what is available now: the stock grows or shrinks around them', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 5 }, { limitPerCustomer: 5 })] });
    const token = await api.newShopper();
    await reserve(dropId, token);
    const sold = await reserve(dropId, token);
    await api.host('POST', `/v1/reservations/${sold.body.id}/confirm`);
    const set = await api.host('PUT', `/v1/host/drops/${dropId}/products/tee/variants/s/stock`, { available: 0 });
    assert.equal(set.status, 200);
    assert.deepEqual((await sales(dropId)).variants, [{ productId: 'tee', variantId: 's', stock: 2, available: 0, held: 1, sold: 1 }]);
    await api.host('PUT', `/v1/host/drops/${dropId}/products/tee/variants/s/stock`, { available: 4 });
    assert.deepEqual((await sales(dropId)).variants, [{ productId: 'tee', variantId: 's', stock: 6, available: 4, held: 1, sold: 1 }]);
  });

  it('refuses a product whose stock is below the units already held or sold, and changes nothing', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 3, m: 3 }, { limitPerCustomer: 3 })] });
    const token = await api.newShopper();
    await reserve(dropId, token);
    const sold = await reserve(dropId, token);
    await api.host('POST', `/v1/reservations/${sold.body.id}/confirm`);
    const before = await sales(dropId);
    const res = await api.host(
      'PUT',
      `/v1/host/drops/${dropId}/products/tee`,
      tee('tee', { s: 1, m: 0 }, { title: 'Renamed', limitPerCustomer: 3 }),
    );
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'stock-below-committed');
    assert.match(res.body.detail, /s: stock 1 < 2/);
    assert.deepEqual(await sales(dropId), before);
    assert.equal((await api.call('GET', `/v1/drops/${dropId}`)).body.products[0].title, 'Tee tee', 'the product itself is unchanged too');
    const exact = await api.host('PUT', `/v1/host/drops/${dropId}/products/tee`, tee('tee', { s: 2, m: 0 }, { limitPerCustomer: 3 }));
    assert.equal(exact.status, 200, 'exactly what is held and sold is accepted: nothing left on sale');
    assert.deepEqual(
      exact.body.variants.map((v: { available: number }) => v.available),
      [0, 0],
    );
    assertBalanced(await sales(dropId));
  });

  it('counts a lapsed hold as held until the sweeper returns its unit, while its owner already reads it as expired', async () => {
    const dropId = await api.createDrop({ holdMs: 1000, products: [tee('tee', { s: 2 })] });
    const token = await api.newShopper();
    const r = (await reserve(dropId, token)).body;
    for (;;) {
      const report = await sales(dropId);
      assertBalanced(report);
      if (report.variants[0].held === 0) break;
      if (Date.now() > r.expiresAt) assert.equal((await api.call('GET', `/v1/reservations/${r.id}`, { token })).body.status, 'expired');
      await sleep(20);
    }
    assert.equal((await sales(dropId)).variants[0].available, 2);
  });
});
