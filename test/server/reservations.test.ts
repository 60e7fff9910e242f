import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseOrder, parseReservation } from '../../src/protocol/parse-reservation.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, eventually, tee, type Api } from './support/api-client.js';
import type { Product, Variant } from '../../src/protocol/types.js';

describe('reservations', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer();
    api = apiFor(server);
  });
  after(() => server.stop());

  const reserve = (dropId: string, token: string, body: object, headers: Record<string, string> = {}) =>
    api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body, headers });
  const available = async (dropId: string, productId = 'tee', variantId = 's') => {
    const drop = (await api.call('GET', `/v1/drops/${dropId}`)).body;
    return drop.products.find((p: Product) => p.id === productId)!.variants.find((v: Variant) => v.id === variantId).available as number;
  };

  it('holds stock for the drop’s hold time and takes it off sale', async () => {
    const dropId = await api.createDrop({ holdMs: 600_000 });
    const token = await api.newShopper();
    const res = await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 2 });
    assert.equal(res.status, 201);
    const r = parseReservation(res.body);
    assert.equal(r.status, 'held');
    assert.equal(r.quantity, 2);
    assert.equal(r.expiresAt - r.createdAt, 600_000);
    assert.equal(await available(dropId), 1);
    assert.deepEqual((await api.call('GET', `/v1/reservations/${r.id}`, { token })).body, r);
  });

  it('refuses before startsAt with drop-not-started, and after the end with drop-ended', async () => {
    const token = await api.newShopper();
    const later = await api.createDrop({ startsAt: Date.now() + 3_600_000 });
    const early = await reserve(later, token, { productId: 'tee', variantId: 's', quantity: 1 });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'drop-not-started');
    assert.equal(early.headers.get('content-type'), 'application/problem+json; charset=utf-8');

    const over = await api.createDrop();
    assert.equal((await api.host('POST', `/v1/host/drops/${over}/end`)).status, 200);
    const late = await reserve(over, token, { productId: 'tee', variantId: 's', quantity: 1 });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'drop-ended');
  });

  it('says sold-out when nothing is left and insufficient-stock when fewer than asked are', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 1, m: 0 }, { limitPerCustomer: 5 })] });
    const token = await api.newShopper();
    const none = await reserve(dropId, token, { productId: 'tee', variantId: 'm', quantity: 1 });
    assert.equal(none.status, 409);
    assert.equal(none.body.code, 'sold-out');
    const few = await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 2 });
    assert.equal(few.status, 409);
    assert.equal(few.body.code, 'insufficient-stock');
    assert.equal(await available(dropId), 1, 'a refusal takes nothing');
  });

  it('enforces the per-customer limit across reservations of one shopper, not across shoppers', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 10, m: 10 }, { limitPerCustomer: 2 })] });
    const alice = await api.newShopper();
    assert.equal((await reserve(dropId, alice, { productId: 'tee', variantId: 's', quantity: 1 })).status, 201);
    assert.equal((await reserve(dropId, alice, { productId: 'tee', variantId: 'm', quantity: 1 })).status, 201);
    const third = await reserve(dropId, alice, { productId: 'tee', variantId: 's', quantity: 1 });
    assert.equal(third.status, 409);
    assert.equal(third.body.code, 'limit-exceeded');
    const bob = await api.newShopper();
    assert.equal((await reserve(dropId, bob, { productId: 'tee', variantId: 's', quantity: 2 })).status, 201);
  });

  it('releases the stock when the shopper cancels, and a second cancel changes nothing', async () => {
    const dropId = await api.createDrop();
    const token = await api.newShopper();
    const r = (await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 1 })).body;
    assert.equal(await available(dropId), 2);
    const cancelled = await api.call('DELETE', `/v1/reservations/${r.id}`, { token });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'released');
    assert.equal(await available(dropId), 3);
    assert.equal((await api.call('DELETE', `/v1/reservations/${r.id}`, { token })).body.status, 'released');
    assert.equal(await available(dropId), 3);
    const confirm = await api.host('POST', `/v1/reservations/${r.id}/confirm`);
    assert.equal(confirm.status, 409);
    assert.equal(confirm.body.code, 'reservation-not-held');
  });

  it('confirms a hold into an order for the site (host token), once', async () => {
    const dropId = await api.createDrop();
    const token = await api.newShopper();
    const mine = (await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 1 })).body;
    const res = await api.host('POST', `/v1/reservations/${mine.id}/confirm`);
    assert.equal(res.status, 201);
    const order = parseOrder(res.body);
    assert.equal(order.reservation.status, 'confirmed');
    assert.equal(order.reservation.id, mine.id);
    const again = await api.host('POST', `/v1/reservations/${mine.id}/confirm`);
    assert.equal(again.status, 200, 'confirming twice answers the same order');
    assert.equal(again.body.id, order.id);
    assert.equal((await api.call('DELETE', `/v1/reservations/${mine.id}`, { token })).body.code, 'reservation-not-held');
    assert.equal(
      (await api.call('GET', `/v1/reservations/${mine.id}`, { token })).body.status,
      'confirmed',
      'the shopper reads the order’s reservation',
    );
    assert.equal(await available(dropId), 2, 'sold units stay off sale');
  });

  it('refuses a shopper who confirms their own hold: 403 forbidden problem, the hold stays held', async () => {
    const dropId = await api.createDrop();
    const token = await api.newShopper();
    const mine = (await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 1 })).body;
    const res = await api.call('POST', `/v1/reservations/${mine.id}/confirm`, { token, headers: { 'idempotency-key': 'self-confirm' } });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.code, 'forbidden');
    assert.equal(res.body.status, 403);
    assert.match(res.body.detail, /only the site confirms/);
    assert.equal((await api.call('GET', `/v1/reservations/${mine.id}`, { token })).body.status, 'held');
    const sales = (await api.host('GET', `/v1/host/drops/${dropId}/sales`)).body;
    assert.deepEqual(sales.reservations, { held: 1, confirmed: 0, released: 0, expired: 0 }, 'no sale was counted');
    assert.equal(
      (await api.call('DELETE', `/v1/reservations/${mine.id}`, { token })).body.status,
      'released',
      'the shopper may still cancel it',
    );
  });

  it('hides a reservation from other shoppers', async () => {
    const dropId = await api.createDrop();
    const owner = await api.newShopper();
    const r = (await reserve(dropId, owner, { productId: 'tee', variantId: 's', quantity: 1 })).body;
    const stranger = await api.newShopper();
    for (const [method, path] of [
      ['GET', `/v1/reservations/${r.id}`],
      ['DELETE', `/v1/reservations/${r.id}`],
    ]) {
      const res = await api.call(method, path, { token: stranger });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    assert.equal((await api.call('GET', `/v1/reservations/${r.id}`, { token: owner })).body.status, 'held');
  });

  it('expires a hold after holdMs: reads say expired at once and the sweeper puts the units back on sale', async () => {
    const dropId = await api.createDrop({ holdMs: 2000 });
    const token = await api.newShopper();
    const r = parseReservation((await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 2 })).body);
    const during = await available(dropId);
    if (Date.now() < r.expiresAt - 250) assert.equal(during, 1, 'held units are off sale'); // unless the machine was too slow to look in time
    await eventually(async () => (await api.call('GET', `/v1/reservations/${r.id}`, { token })).body.status === 'expired', {
      what: 'the hold to expire',
    });
    assert.ok(Date.now() >= r.expiresAt - 1000, 'not before its time (allowing for clock reads)');
    await eventually(async () => (await available(dropId)) === 3, { what: 'the units to come back' });
    const confirm = await api.host('POST', `/v1/reservations/${r.id}/confirm`);
    assert.equal(confirm.body.code, 'reservation-not-held');
    assert.equal(
      (await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 2 })).status,
      201,
      'an expired hold no longer counts towards the limit',
    );
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for a retry with the same key and body, taking stock once', async () => {
      const dropId = await api.createDrop();
      const token = await api.newShopper();
      const body = { productId: 'tee', variantId: 's', quantity: 1 };
      const first = await reserve(dropId, token, body, { 'idempotency-key': 'order-123' });
      const retry = await reserve(dropId, token, body, { 'idempotency-key': 'order-123' });
      assert.equal(retry.status, 201);
      assert.deepEqual(retry.body, first.body);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      assert.equal(await available(dropId), 2);
    });

    it('answers concurrent retries with one reservation', async () => {
      const dropId = await api.createDrop();
      const token = await api.newShopper();
      const body = { productId: 'tee', variantId: 's', quantity: 1 };
      const answers = await Promise.all(Array.from({ length: 8 }, () => reserve(dropId, token, body, { 'idempotency-key': 'same-click' })));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]));
      assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
      assert.equal(await available(dropId), 2);
    });

    it('refuses the same key with another body: idempotency-conflict', async () => {
      const dropId = await api.createDrop();
      const token = await api.newShopper();
      await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 1 }, { 'idempotency-key': 'k-1' });
      const other = await reserve(dropId, token, { productId: 'tee', variantId: 'm', quantity: 1 }, { 'idempotency-key': 'k-1' });
      assert.equal(other.status, 409);
      assert.equal(other.body.code, 'idempotency-conflict');
    });

    it('keeps keys apart per shopper', async () => {
      const dropId = await api.createDrop();
      const body = { productId: 'tee', variantId: 's', quantity: 1 };
      const a = await reserve(dropId, await api.newShopper(), body, { 'idempotency-key': 'shared' });
      const b = await reserve(dropId, await api.newShopper(), body, { 'idempotency-key': 'shared' });
      assert.notEqual(a.body.id, b.body.id);
    });

    it('judges a retry after a refusal again instead of replaying the refusal', async () => {
      const dropId = await api.createDrop({ products: [tee('tee', { s: 0 })] });
      const token = await api.newShopper();
      const body = { productId: 'tee', variantId: 's', quantity: 1 };
      assert.equal((await reserve(dropId, token, body, { 'idempotency-key': 'again' })).body.code, 'sold-out');
      await api.host('PUT', `/v1/host/drops/${dropId}/products/tee/variants/s/stock`, { available: 1 });
      assert.equal((await reserve(dropId, token, body, { 'idempotency-key': 'again' })).status, 201);
    });

    it('replays a confirmation', async () => {
      const dropId = await api.createDrop();
      const token = await api.newShopper();
      const r = (await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 1 })).body;
      const first = await api.call('POST', `/v1/reservations/${r.id}/confirm`, {
        token: api.hostToken,
        headers: { 'idempotency-key': 'pay-1' },
      });
      const retry = await api.call('POST', `/v1/reservations/${r.id}/confirm`, {
        token: api.hostToken,
        headers: { 'idempotency-key': 'pay-1' },
      });
      assert.equal(first.status, 201);
      assert.equal(retry.status, 201);
      assert.deepEqual(retry.body, first.body);
    });

    it('refuses a malformed key with idempotency-key-invalid', async () => {
      const dropId = await api.createDrop();
      const token = await api.newShopper();
      for (const key of ['has space', 'x'.repeat(256), 'ü']) {
        const res = await reserve(dropId, token, { productId: 'tee', variantId: 's', quantity: 1 }, { 'idempotency-key': key });
        assert.equal(res.status, 400, key);
        assert.equal(res.body.code, 'idempotency-key-invalid');
      }
      assert.equal(await available(dropId), 3);
    });
  });
});
