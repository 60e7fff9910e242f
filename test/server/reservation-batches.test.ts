/**
 * Group commit: reservations arriving together are committed in batches, and
 * each member still gets exactly the answer it would have had alone. The same
 * mixed burst is sent at once to a batching server and one request at a time
 * to a server with RESERVATION_BATCHING=off; every member's answer must agree.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Product, Reservation, Variant } from '../../src/protocol/types.js';
import { DomainError } from '../../server/services/domain-error.js';
import { createReservationService } from '../../server/services/reservation-service.js';
import type { Database } from '../../server/storage/database.js';
import { insertDrop, upsertProduct } from '../../server/storage/drop-store.js';
import { openPgliteDatabase } from '../../server/storage/pglite-database.js';
import { copyPgliteTemplate } from '../support/pglite-template.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, tee, type Api, type Json } from './support/api-client.js';

interface Member {
  /** What the member is, for messages; members of one class must all get the same code (or one of `mixed`). */
  label: string;
  shopper: string;
  body: { productId: string; variantId: string; quantity: number };
  key?: string;
}

/**
 * A burst whose per-member answers do not depend on arrival order, except for
 * the classes that race for a few units, whose counts do not.
 */
async function setUpBurst(api: Api) {
  const dropId = await api.createDrop({
    products: [
      tee('tee', { plenty: 50, five: 5, one: 1, none: 0 }, { limitPerCustomer: 2 }),
      tee('cap', { one: 10 }, { limitPerCustomer: 1 }),
    ],
  });
  const later = await api.createDrop({ startsAt: Date.now() + 3_600_000 });
  const shoppers = await Promise.all(Array.from({ length: 24 }, () => api.newShopper()));
  const reserve = (shopper: string, body: Member['body'], key?: string) =>
    api.call('POST', `/v1/drops/${dropId}/reservations`, { token: shopper, body, headers: key ? { 'idempotency-key': key } : {} });
  // Before the burst: shopper 0 already holds its one `cap`; shopper 1's key k-done is used.
  assert.equal((await reserve(shoppers[0], { productId: 'cap', variantId: 'one', quantity: 1 })).status, 201);
  const done = await reserve(shoppers[1], { productId: 'tee', variantId: 'plenty', quantity: 1 }, 'k-done');
  assert.equal(done.status, 201);

  const members: (Member & { dropId?: string })[] = [
    { label: 'over its limit', shopper: shoppers[0], body: { productId: 'cap', variantId: 'one', quantity: 1 } },
    { label: 'replay', shopper: shoppers[1], body: { productId: 'tee', variantId: 'plenty', quantity: 1 }, key: 'k-done' },
    {
      label: 'key reused for another body',
      shopper: shoppers[1],
      body: { productId: 'tee', variantId: 'plenty', quantity: 2 },
      key: 'k-done',
    },
    { label: 'nothing left', shopper: shoppers[2], body: { productId: 'tee', variantId: 'none', quantity: 1 } },
    { label: 'more than left', shopper: shoppers[3], body: { productId: 'tee', variantId: 'one', quantity: 2 } },
    { label: 'no such product', shopper: shoppers[4], body: { productId: 'hat', variantId: 'x', quantity: 1 } },
    { label: 'no such variant', shopper: shoppers[4], body: { productId: 'tee', variantId: 'xxl', quantity: 1 } },
    { label: 'not started', shopper: shoppers[5], body: { productId: 'tee', variantId: 's', quantity: 1 }, dropId: later },
    { label: 'alone', shopper: shoppers[6], body: { productId: 'tee', variantId: 'plenty', quantity: 2 }, key: 'k-alone' },
    // Three members of one shopper with a limit of 2: two grants, one limit-exceeded, whatever the order.
    ...[0, 1, 2].map((i) => ({
      label: 'one shopper thrice',
      shopper: shoppers[7],
      body: { productId: 'tee', variantId: 'plenty', quantity: 1 },
      key: `k-thrice-${i}`,
    })),
    // Two members of one shopper on `cap` (limit 1): one grant, one limit-exceeded.
    ...[0, 1].map(() => ({
      label: 'one shopper twice on cap',
      shopper: shoppers[8],
      body: { productId: 'cap', variantId: 'one', quantity: 1 },
    })),
    // Twelve shoppers for five units: five grants, seven sold-out.
    ...shoppers
      .slice(9, 21)
      .map((s) => ({ label: 'twelve for five', shopper: s, body: { productId: 'tee', variantId: 'five', quantity: 1 } })),
    // One click retried at once: both answers are the same reservation.
    ...[0, 1].map(() => ({
      label: 'same key twice',
      shopper: shoppers[21],
      body: { productId: 'tee', variantId: 'plenty', quantity: 1 },
      key: 'k-twice',
    })),
  ];
  const send = (m: (typeof members)[number]) =>
    api.call('POST', `/v1/drops/${m.dropId ?? dropId}/reservations`, {
      token: m.shopper,
      body: m.body,
      headers: m.key ? { 'idempotency-key': m.key } : {},
    });
  return { dropId, members, send, replayed: done.body as Reservation };
}

/** Counts of answer codes (201 or the problem code) per class of member. */
function tally(members: Member[], answers: { status: number; body: Json }[]) {
  const out: Record<string, Record<string, number>> = {};
  members.forEach((m, i) => {
    const a = answers[i];
    const code = a.status === 201 ? '201' : `${a.status} ${a.body.code}`;
    (out[m.label] ??= {})[code] = (out[m.label][code] ?? 0) + 1;
  });
  return out;
}

describe('batched reservations', () => {
  let batching: RunningServer;
  let single: RunningServer;
  before(async () => {
    [batching, single] = await Promise.all([startReferenceServer(), startReferenceServer({ env: { RESERVATION_BATCHING: 'off' } })]);
  });
  after(async () => {
    await batching?.stop();
    await single?.stop();
  });

  it('answers every member of a mixed burst exactly as one-at-a-time reservations are answered', async () => {
    const burst = await setUpBurst(apiFor(batching));
    const together = await Promise.all(burst.members.map(burst.send));

    const sequential = await setUpBurst(apiFor(single));
    const oneByOne = [];
    for (const m of sequential.members) oneByOne.push(await sequential.send(m));

    assert.deepEqual(tally(burst.members, together), tally(sequential.members, oneByOne));
    assert.deepEqual(tally(burst.members, together), {
      'over its limit': { '409 limit-exceeded': 1 },
      replay: { '201': 1 },
      'key reused for another body': { '409 idempotency-conflict': 1 },
      'nothing left': { '409 sold-out': 1 },
      'more than left': { '409 insufficient-stock': 1 },
      'no such product': { '404 not-found': 1 },
      'no such variant': { '404 not-found': 1 },
      'not started': { '409 drop-not-started': 1 },
      alone: { '201': 1 },
      'one shopper thrice': { '201': 2, '409 limit-exceeded': 1 },
      'one shopper twice on cap': { '201': 1, '409 limit-exceeded': 1 },
      'twelve for five': { '201': 5, '409 sold-out': 7 },
      'same key twice': { '201': 2 },
    });

    // The replay is the stored answer byte for byte; the two answers to one key are one reservation.
    const at = (label: string) => burst.members.flatMap((m, i) => (m.label === label ? [together[i]] : []));
    assert.deepEqual(at('replay')[0].body, burst.replayed);
    assert.equal(at('replay')[0].headers.get('idempotent-replayed'), 'true');
    const twice = at('same key twice');
    assert.equal(twice[0].body.id, twice[1].body.id);
    assert.deepEqual(twice.map((a) => a.headers.get('idempotent-replayed')).sort(), ['true', null].sort());
    assert.match(at('more than left')[0].body.detail, /only 1 left of tee \/ ONE/);

    // What was granted is exactly what is stored, and stock agrees, variant by variant.
    const host = apiFor(batching);
    const stored: Reservation[] = (await host.host('GET', `/v1/host/drops/${burst.dropId}/reservations`)).body;
    const granted = new Set([burst.replayed.id, ...together.filter((a) => a.status === 201).map((a) => a.body.id)]);
    assert.equal(stored.length, granted.size + 1, 'the granted ones and the `cap` bought before the burst');
    for (const id of granted)
      assert.ok(
        stored.some((r) => r.id === id),
        `reservation ${id} is stored`,
      );
    const drop = (await host.call('GET', `/v1/drops/${burst.dropId}`)).body;
    const level = (p: string, v: string) =>
      drop.products.find((x: Product) => x.id === p)!.variants.find((x: Variant) => x.id === v).available;
    assert.deepEqual(
      [level('tee', 'plenty'), level('tee', 'five'), level('tee', 'one'), level('cap', 'one')],
      [50 - 1 - 2 - 2 - 1, 0, 1, 10 - 1 - 1],
    );
  });

  it('offers units that come back to the next batch, even after the variant was seen sold out', async () => {
    const api = apiFor(batching);
    const dropId = await api.createDrop({ products: [tee('tee', { s: 1 }, { limitPerCustomer: 5 })] });
    const reserve = async (token?: string) =>
      api.call('POST', `/v1/drops/${dropId}/reservations`, {
        token: token ?? (await api.newShopper()),
        body: { productId: 'tee', variantId: 's', quantity: 1 },
      });
    const holder = await api.newShopper();
    const first = await reserve(holder);
    assert.equal(first.status, 201);
    const refusals = await Promise.all(Array.from({ length: 10 }, () => reserve()));
    assert.deepEqual(new Set(refusals.map((r) => r.body.code)), new Set(['sold-out']));
    // The unit comes back: the very next reservation gets it.
    assert.equal((await api.call('DELETE', `/v1/reservations/${first.body.id}`, { token: holder })).status, 200);
    assert.equal((await reserve()).status, 201);
    assert.equal((await reserve()).body.code, 'sold-out');
  });
});

describe('a batch the database fails', () => {
  let dir: string;
  let db: Database;
  let failures = 0;
  /** The real database, whose transactions fail while `failures` > 0. */
  let flaky: Database;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-drop-batch-faults-'));
    await copyPgliteTemplate(dir);
    db = await openPgliteDatabase(dir);
    const now = Date.now();
    await insertDrop(db, {
      id: 'd',
      title: 'D',
      brand: '',
      description: '',
      startsAt: now - 1000,
      endsAt: null,
      status: 'live',
      liveStartedAt: now,
      stream: { hls: null, replay: null, poster: null },
      checkoutUrl: null,
      holdMs: 60_000,
      createdAt: now,
    });
    await upsertProduct(db, 'd', {
      id: 'tee',
      title: 'Tee',
      description: '',
      images: [],
      prices: [{ currency: 'USD', amount: 1 }],
      limitPerCustomer: 5,
      variants: [{ id: 's', label: 'S', stock: 10 }],
    });
    flaky = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      transaction: (fn) =>
        db.transaction(async (tx) => {
          const result = await fn(tx);
          if (failures > 0) {
            failures--;
            throw new Error('injected: connection lost');
          }
          return result;
        }),
    };
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const levelOfS = async () =>
    Number((await db.query<{ available: number }>(`SELECT available FROM variants WHERE id = 's'`))[0].available);

  it('is retried once without the members noticing', async () => {
    const service = createReservationService(flaky, { changed() {}, flush: async () => {}, close: async () => {} });
    const shoppers = await Promise.all([1, 2, 3].map(() => service.createShopper()));
    failures = 1;
    const answers = await Promise.all(
      shoppers.map((s, i) => service.reserve(s, 'd', { productId: 'tee', variantId: 's', quantity: 1 }, `retry-${i}`)),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 201],
    );
    assert.equal(await levelOfS(), 7);
  });

  it('answers every member 503 with Retry-After after a second failure, keys unclaimed and nothing taken', async () => {
    const service = createReservationService(flaky, { changed() {}, flush: async () => {}, close: async () => {} });
    const shoppers = await Promise.all([1, 2].map(() => service.createShopper()));
    const before = await levelOfS();
    failures = 2;
    const outcomes = await Promise.allSettled(
      shoppers.map((s, i) => service.reserve(s, 'd', { productId: 'tee', variantId: 's', quantity: 1 }, `fail-${i}`)),
    );
    for (const o of outcomes) {
      assert.equal(o.status, 'rejected');
      const error = (o as PromiseRejectedResult).reason;
      assert.ok(error instanceof DomainError);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'unavailable');
      assert.equal(error.headers['Retry-After'], '1');
    }
    assert.equal(await levelOfS(), before);
    const retried = await service.reserve(shoppers[0], 'd', { productId: 'tee', variantId: 's', quantity: 1 }, 'fail-0');
    assert.equal(retried.status, 201);
    assert.equal(retried.replayed, false, 'the key was free: the retry was judged, not replayed');
  });
});
