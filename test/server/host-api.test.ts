import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PRODUCTS, parseDrop, parseProduct } from '../../src/protocol/parse.js';
import { parseReservation } from '../../src/protocol/parse-reservation.js';
import type { Product, SalesReport, Variant } from '../../src/protocol/types.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, tee, uniqueId, type Api } from './support/api-client.js';

describe('host API', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer({ args: ['--hold-seconds', '300'] });
    api = apiFor(server);
  });
  after(() => server.stop());

  it('creates a drop with its products, defaults filled in', async () => {
    const id = uniqueId('created');
    const startsAt = Date.now() + 60_000;
    const res = await api.host('POST', '/v1/host/drops', {
      id,
      title: 'Capsule',
      startsAt,
      stream: { hls: 'https://cdn.example/live/master.m3u8' },
      products: [tee('tee', { s: 2 }, { limitPerCustomer: undefined })],
    });
    assert.equal(res.status, 201);
    const drop = parseDrop(res.body);
    assert.equal(drop.id, id);
    assert.equal(drop.status, 'scheduled');
    assert.equal(drop.startsAt, startsAt);
    assert.equal(drop.holdMs, 300_000, 'the configured default hold');
    assert.deepEqual(drop.stream, { hls: 'https://cdn.example/live/master.m3u8', replay: null, poster: null });
    assert.equal(drop.products[0].limitPerCustomer, 1);
    assert.deepEqual(drop.products[0].variants, [{ id: 's', label: 'S', available: 2 }]);
    assert.deepEqual((await api.call('GET', `/v1/drops/${id}`)).body, res.body);
  });

  it('chooses an id when none is given, and refuses a taken one', async () => {
    const res = await api.host('POST', '/v1/host/drops', { title: 'No id', startsAt: Date.now(), products: [] });
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^[A-Za-z0-9_-]{1,64}$/);
    const again = await api.host('POST', '/v1/host/drops', { id: res.body.id, title: 'Twice', startsAt: Date.now(), products: [] });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'already-exists');
  });

  it('patches top-level fields and leaves the rest alone', async () => {
    const id = await api.createDrop({ startsAt: Date.now() + 60_000, description: 'before' });
    const startsAt = Date.now() + 120_000;
    const res = await api.host('PATCH', `/v1/host/drops/${id}`, {
      title: 'Renamed',
      startsAt,
      checkoutUrl: 'https://shop.example/checkout/{reservationId}',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.title, 'Renamed');
    assert.equal(res.body.startsAt, startsAt);
    assert.equal(res.body.description, 'before');
    assert.equal(res.body.checkoutUrl, 'https://shop.example/checkout/{reservationId}');
    const products = await api.host('PATCH', `/v1/host/drops/${id}`, { products: [] });
    assert.equal(products.status, 422, 'products change through PUT only');
  });

  it('refuses an end before the start, whichever of the two the patch moves, and changes nothing', async () => {
    const startsAt = Date.now() - 60_000;
    const id = await api.createDrop({ startsAt });
    for (const patch of [{ endsAt: 5 }, { endsAt: startsAt }, { startsAt: Date.now() + 3_600_000 }]) {
      if ('startsAt' in patch) assert.equal((await api.host('PATCH', `/v1/host/drops/${id}`, { endsAt: Date.now() + 60_000 })).status, 200);
      const res = await api.host('PATCH', `/v1/host/drops/${id}`, patch);
      assert.equal(res.status, 422, JSON.stringify(patch));
      assert.equal(res.body.code, 'validation-failed');
    }
    const drop = (await api.call('GET', `/v1/drops/${id}`)).body;
    assert.equal(drop.status, 'live');
    assert.equal(drop.startsAt, startsAt);
  });

  it('adds and replaces products with PUT', async () => {
    const id = await api.createDrop();
    const res = await api.host('PUT', `/v1/host/drops/${id}/products/cap`, tee('cap', { one: 7 }, { title: 'Cap' }));
    assert.equal(res.status, 200);
    assert.equal(parseProduct(res.body).title, 'Cap');
    const replaced = await api.host('PUT', `/v1/host/drops/${id}/products/cap`, tee('cap', { one: 3, two: 1 }, { title: 'Cap II' }));
    assert.deepEqual(
      replaced.body.variants.map((v: Variant) => [v.id, v.available]),
      [
        ['one', 3],
        ['two', 1],
      ],
    );
    const drop = (await api.call('GET', `/v1/drops/${id}`)).body;
    assert.deepEqual(
      drop.products.map((p: Product) => p.id),
      ['tee', 'cap'],
    );
    const mismatch = await api.host('PUT', `/v1/host/drops/${id}/products/cap`, tee('hat', { one: 1 }));
    assert.equal(mismatch.status, 422);
  });

  it('counts held and sold units against a re-sent product’s stock, so editing it mid-show oversells nothing', async () => {
    const id = await api.createDrop({ products: [tee('tee', { s: 5 }, { limitPerCustomer: 5 })] });
    const token = await api.newShopper();
    const held = (
      await api.call('POST', `/v1/drops/${id}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 2 } })
    ).body;
    const sold = (
      await api.call('POST', `/v1/drops/${id}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } })
    ).body;
    await api.host('POST', `/v1/reservations/${sold.id}/confirm`);
    const same = await api.host(
      'PUT',
      `/v1/host/drops/${id}/products/tee`,
      tee('tee', { s: 5 }, { title: 'Renamed tee', limitPerCustomer: 5 }),
    );
    assert.equal(same.body.variants[0].available, 2, '5 on sale − 2 held − 1 sold');
    const more = await api.host('PUT', `/v1/host/drops/${id}/products/tee`, tee('tee', { s: 10 }, { limitPerCustomer: 5 }));
    assert.equal(more.body.variants[0].available, 7);
    await api.call('DELETE', `/v1/reservations/${held.id}`, { token });
    assert.equal(
      (await api.call('GET', `/v1/drops/${id}`)).body.products[0].variants[0].available,
      9,
      'a released hold returns to the new total',
    );
  });

  it('sets a variant’s stock', async () => {
    const id = await api.createDrop();
    const res = await api.host('PUT', `/v1/host/drops/${id}/products/tee/variants/m/stock`, { available: 9 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: 'm', label: 'M', available: 9 });
    assert.equal((await api.host('PUT', `/v1/host/drops/${id}/products/tee/variants/xxl/stock`, { available: 1 })).status, 404);
    assert.equal((await api.host('PUT', `/v1/host/drops/${id}/products/tee/variants/m/stock`, { available: -1 })).status, 422);
  });

  it('starts the show early (startsAt becomes now) and ends it (endsAt becomes now)', async () => {
    const id = await api.createDrop({ startsAt: Date.now() + 3_600_000 });
    const before = Date.now();
    const started = await api.host('POST', `/v1/host/drops/${id}/start`);
    assert.equal(started.status, 200);
    assert.equal(started.body.status, 'live');
    assert.ok(started.body.startsAt >= before - 1000 && started.body.startsAt <= Date.now() + 1000);
    const ended = await api.host('POST', `/v1/host/drops/${id}/end`);
    assert.equal(ended.body.status, 'ended');
    assert.ok(ended.body.endsAt >= started.body.startsAt);
    assert.equal((await api.host('POST', `/v1/host/drops/${id}/start`)).body.code, 'drop-ended');
  });

  it('points an ended show on the simulated stream at its replay window', async () => {
    const id = await api.createDrop({ stream: { hls: 'stream/live.m3u8' } });
    const ended = parseDrop((await api.host('POST', `/v1/host/drops/${id}/end`)).body);
    assert.match(ended.stream.replay ?? '', /^stream\/replay\.m3u8\?from=\d+&to=\d+$/);
    const res = await fetch(new URL(ended.stream.replay!, server.url + '/'));
    assert.equal(res.status, 200);
  });

  it('serves replays of real shows only, not any window anyone asks for', async () => {
    const hour = 3_600_000;
    const id = await api.createDrop({ startsAt: Date.now() - 2 * hour, stream: { hls: 'stream/main.m3u8' } });
    const ended = parseDrop((await api.host('POST', `/v1/host/drops/${id}/end`)).body);
    const [, from, to] = /from=(\d+)&to=(\d+)/.exec(ended.stream.replay!)!.map(Number);
    const status = async (path: string) => (await fetch(`${server.url}/stream/${path}`)).status;
    for (const path of ['main', 'replay', 'captions']) {
      assert.equal(await status(`${path}.m3u8?from=${from}&to=${to}`), 200, `the show's ${path} playlist`);
      assert.equal(await status(`${path}.m3u8?from=${from + 60_000}&to=${to - 60_000}`), 200, `a part of the show's ${path} playlist`);
    }
    // The day before the show: a day-long playlist (4 MB) the server would build for anyone, on every request.
    for (const path of ['main', 'replay', 'captions'])
      assert.equal(await status(`${path}.m3u8?from=${from - 24 * hour}&to=${from}`), 404, `no show: ${path}`);
    assert.equal(await status(`replay.m3u8?from=${from - hour}&to=${to}`), 404, 'reaching before the show');
  });

  it('adds no history entry for featuring the product already featured, so the history stays short', async () => {
    const id = await api.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    for (const productId of ['a', 'a', 'b', 'b', 'b', null, 'b', 'a'])
      await api.host('POST', `/v1/host/drops/${id}/feature`, { productId });
    const drop = parseDrop((await api.call('GET', `/v1/drops/${id}`)).body);
    // b featured again after being cleared is an entry: a replay cannot show the clear, a live viewer saw it.
    assert.deepEqual(
      drop.featuredHistory.map((f) => f.productId),
      ['a', 'b', 'b', 'a'],
    );
  });

  it(`refuses a product beyond ${MAX_PRODUCTS}, so that every client can still load the drop`, async () => {
    const products = Array.from({ length: MAX_PRODUCTS }, (_, i) => tee(`p${i}`, { s: 1 }));
    const id = await api.createDrop({ products });
    const more = await api.host('PUT', `/v1/host/drops/${id}/products/extra`, tee('extra', { s: 1 }));
    assert.equal(more.status, 422, JSON.stringify(more.body));
    assert.equal(more.body.code, 'validation-failed');
    assert.equal((await api.host('PUT', `/v1/host/drops/${id}/products/p7`, tee('p7', { s: 3 }))).status, 200, 'replacing one is fine');
    assert.equal(parseDrop((await api.call('GET', `/v1/drops/${id}`)).body).products.length, MAX_PRODUCTS);
  });

  it('features a product and refuses one that is not in the drop', async () => {
    const id = await api.createDrop();
    const res = await api.host('POST', `/v1/host/drops/${id}/feature`, { productId: 'tee' });
    assert.equal(res.status, 200);
    assert.equal(res.body.productId, 'tee');
    assert.equal((await api.host('POST', `/v1/host/drops/${id}/feature`, { productId: 'nope' })).status, 404);
    assert.equal((await api.host('POST', `/v1/host/drops/${id}/feature`, { productId: null })).body, null);
  });

  it('reports live sales: held, sold and available per variant, reservations by status, revenue', async () => {
    const id = await api.createDrop({ products: [tee('tee', { s: 5, m: 5 }, { limitPerCustomer: 5 })] });
    const token = await api.newShopper();
    const reserve = (variantId: string, quantity: number) =>
      api.call('POST', `/v1/drops/${id}/reservations`, { token, body: { productId: 'tee', variantId, quantity } }).then((r) => r.body);
    const sold = await reserve('s', 2);
    await api.host('POST', `/v1/reservations/${sold.id}/confirm`);
    await reserve('m', 1);
    const released = await reserve('m', 1);
    await api.call('DELETE', `/v1/reservations/${released.id}`, { token });

    const res = await api.host('GET', `/v1/host/drops/${id}/sales`);
    assert.equal(res.status, 200);
    const report = res.body as SalesReport;
    assert.deepEqual(report.variants, [
      { productId: 'tee', variantId: 's', stock: 5, available: 3, held: 0, sold: 2 },
      { productId: 'tee', variantId: 'm', stock: 5, available: 4, held: 1, sold: 0 },
    ]);
    assert.deepEqual(report.reservations, { held: 1, confirmed: 1, released: 1, expired: 0 });
    assert.deepEqual(report.revenue, [{ currency: 'USD', amount: 9800 }]);

    const list = await api.host('GET', `/v1/host/drops/${id}/reservations`);
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 3);
    list.body.forEach((r: unknown) => parseReservation(r));
    assert.ok(list.body[0].createdAt >= list.body[2].createdAt, 'newest first');
  });

  it('refuses every host route without the host token, or with a wrong one or a shopper’s', async () => {
    const id = await api.createDrop();
    const shopper = await api.newShopper();
    const routes: [string, string][] = [
      ['POST', '/v1/host/drops'],
      ['PATCH', `/v1/host/drops/${id}`],
      ['PUT', `/v1/host/drops/${id}/products/tee`],
      ['PUT', `/v1/host/drops/${id}/products/tee/variants/s/stock`],
      ['POST', `/v1/host/drops/${id}/start`],
      ['POST', `/v1/host/drops/${id}/end`],
      ['POST', `/v1/host/drops/${id}/feature`],
      ['GET', `/v1/host/drops/${id}/sales`],
      ['GET', `/v1/host/drops/${id}/reservations`],
    ];
    for (const [method, path] of routes) {
      for (const token of [null, 'wrong-token-0123456789', shopper]) {
        const res = await api.call(method, path, { token, body: method === 'GET' ? undefined : {} });
        assert.equal(res.status, 401, `${method} ${path} with ${token ?? 'no token'}`);
        assert.equal(res.body.code, 'unauthorized');
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      }
    }
    assert.equal((await api.call('GET', `/v1/drops/${id}`)).body.status, 'live', 'nothing changed');
  });
});
