/**
 * Abuse controls: per-address rate limits (429 problem + Retry-After), the
 * cap on concurrent holds per address, X-Forwarded-For only behind a trusted
 * proxy, expiring shopper tokens, and the confirm-only key. Each client
 * address here is a loopback source address of its own.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReservationService } from '../../server/services/reservation-service.js';
import { migrate } from '../../server/storage/migrate.js';
import { openPgliteDatabase } from '../../server/storage/pglite-database.js';
import { loopbackAddress } from '../support/loopback.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, tee, type Answer, type Api } from './support/api-client.js';

/** The answer is a 429 problem of `code` with a Retry-After of 1 to `maxSeconds` seconds. */
function assertTooMany(res: Answer, code: string, maxSeconds: number) {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  assert.equal(res.body.status, 429);
  assert.equal(res.body.type, `urn:live-drop:problem:${code}`);
  assert.ok(res.body.detail, 'says why');
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= maxSeconds, `Retry-After ${res.headers.get('retry-after')}`);
}

/** Opens a drop's event stream from `from` and closes it once the status is known. */
function openStream(url: string, from: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: from, agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      const headers = new Headers(Object.entries(res.headers).map(([k, v]): [string, string] => [k, String(v)]));
      if (res.statusCode === 200) {
        req.destroy();
        return resolve({ status: 200, headers, body: undefined });
      }
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('abuse controls with tight limits', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer({
      args: [
        '--rate-shoppers',
        '3/60',
        '--rate-reserve',
        '4/60',
        '--rate-react',
        '3/60',
        '--rate-streams',
        '2/60',
        '--max-holds-per-ip',
        '2',
      ],
    });
    api = apiFor(server);
  });
  after(() => server.stop());

  it('limits new shopper tokens per address: the 4th within the window is 429 too-many-requests with Retry-After; another address is not affected', async () => {
    const from = loopbackAddress(10);
    for (let i = 0; i < 3; i++) assert.equal((await api.call('POST', '/v1/shoppers', { from })).status, 201);
    assertTooMany(await api.call('POST', '/v1/shoppers', { from }), 'too-many-requests', 60);
    assert.equal((await api.call('POST', '/v1/shoppers', { from: loopbackAddress(11) })).status, 201);
  });

  it('limits reservation requests per address, counting refused ones too', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 50 }, { limitPerCustomer: 50 })] });
    const from = loopbackAddress(20);
    const token = await api.newShopper(from);
    const reserve = () =>
      api.call('POST', `/v1/drops/${dropId}/reservations`, { from, token, body: { productId: 'tee', variantId: 's', quantity: 1 } });
    assert.equal((await api.call('POST', `/v1/drops/${dropId}/reservations`, { from, token: 'shp_not-a-token', body: {} })).status, 401);
    for (let i = 0; i < 2; i++) assert.equal((await reserve()).status, 201);
    // Third request: the hold cap (2) answers first; fourth... the window (4) is spent.
    assertTooMany(await reserve(), 'too-many-holds', 600);
    const limited = await reserve();
    assertTooMany(limited, 'too-many-requests', 60);
    assert.match(limited.body.detail, /at most 4 reservations per 60 s/);
  });

  it('limits reactions per address', async () => {
    const dropId = await api.createDrop();
    const from = loopbackAddress(30);
    for (let i = 0; i < 3; i++)
      assert.equal((await api.call('POST', `/v1/drops/${dropId}/reactions`, { from, body: { kind: 'heart' } })).status, 202);
    assertTooMany(await api.call('POST', `/v1/drops/${dropId}/reactions`, { from, body: { kind: 'heart' } }), 'too-many-requests', 60);
  });

  it('limits event streams opened per address', async () => {
    const dropId = await api.createDrop();
    const url = `${server.url}/v1/drops/${dropId}/events`;
    const from = loopbackAddress(40);
    for (let i = 0; i < 2; i++) assert.equal((await openStream(url, from)).status, 200);
    assertTooMany(await openStream(url, from), 'too-many-requests', 60);
    assert.equal((await openStream(url, loopbackAddress(41))).status, 200);
  });

  it('caps concurrent holds per address: 429 too-many-holds until a hold ends, whoever the shoppers are', async () => {
    const dropId = await api.createDrop({ holdMs: 120_000, products: [tee('tee', { s: 50 })] });
    const from = loopbackAddress(50);
    const reserve = async (token: string) =>
      api.call('POST', `/v1/drops/${dropId}/reservations`, { from, token, body: { productId: 'tee', variantId: 's', quantity: 1 } });
    const [a, b, c] = [await api.newShopper(from), await api.newShopper(from), await api.newShopper(loopbackAddress(51))];
    const first = await reserve(a);
    assert.equal(first.status, 201);
    assert.equal((await reserve(b)).status, 201);
    const third = await reserve(c);
    assertTooMany(third, 'too-many-holds', 120);
    assert.ok(Number(third.headers.get('retry-after')) >= 100, 'Retry-After is when the first hold ends');
    assert.equal((await api.call('DELETE', `/v1/reservations/${first.body.id}`, { token: a })).status, 200);
    assert.equal((await reserve(c)).status, 201, 'a released hold frees a place');
    const elsewhere = await api.call('POST', `/v1/drops/${dropId}/reservations`, {
      from: loopbackAddress(52),
      token: c,
      body: { productId: 'tee', variantId: 's', quantity: 1 },
    });
    assert.equal(elsewhere.status, 201, 'another address has its own cap');
  });

  it('ignores X-Forwarded-For without --trust-proxy: a client cannot pick its own address', async () => {
    const from = loopbackAddress(60);
    for (let i = 0; i < 3; i++) {
      const res = await api.call('POST', '/v1/shoppers', { from, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      assert.equal(res.status, 201);
    }
    assertTooMany(
      await api.call('POST', '/v1/shoppers', { from, headers: { 'x-forwarded-for': '203.0.113.99' } }),
      'too-many-requests',
      60,
    );
  });
});

describe('abuse controls behind a trusted proxy (--trust-proxy 1)', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer({ args: ['--trust-proxy', '1', '--rate-shoppers', '2/60'] });
    api = apiFor(server);
  });
  after(() => server.stop());

  it('counts the address the proxy appended, not the proxy and not what the client claimed', async () => {
    const proxy = loopbackAddress(70);
    const shopper = (xff: string) => api.call('POST', '/v1/shoppers', { from: proxy, headers: { 'x-forwarded-for': xff } });
    // Two clients behind one proxy: each has its own budget.
    for (const client of ['198.51.100.1', '198.51.100.2']) {
      for (let i = 0; i < 2; i++) assert.equal((await shopper(client)).status, 201, client);
    }
    assertTooMany(await shopper('198.51.100.1'), 'too-many-requests', 60);
    // A client that prepends a fake address is still counted by the one the proxy appended.
    assertTooMany(await shopper('10.9.9.9, 198.51.100.1'), 'too-many-requests', 60);
    assert.equal((await shopper('198.51.100.1, 198.51.100.3')).status, 201);
    // IPv6 clients count by their /64.
    assert.equal((await shopper('2001:db8:1:2::1')).status, 201);
    assert.equal((await shopper('2001:db8:1:2:ffff::9')).status, 201);
    assertTooMany(await shopper('2001:0db8:0001:0002::77'), 'too-many-requests', 60);
  });
});

describe('defaults', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer();
    api = apiFor(server);
  });
  after(() => server.stop());

  it('let an office of 50 shoppers behind one address take part: each gets a token, a stream, a hold and a second try', async () => {
    const office = loopbackAddress(80);
    const dropId = await api.createDrop({ products: [tee('tee', { s: 200 }, { limitPerCustomer: 2 })] });
    const url = `${server.url}/v1/drops/${dropId}/events`;
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const token = await api.newShopper(office);
        const stream = await openStream(url, office);
        const body = { productId: 'tee', variantId: 's', quantity: 1 };
        const first = await api.call('POST', `/v1/drops/${dropId}/reservations`, { from: office, token, body });
        const second = await api.call('POST', `/v1/drops/${dropId}/reservations`, { from: office, token, body });
        const reacted = await api.call('POST', `/v1/drops/${dropId}/reactions`, { from: office, body: { kind: 'fire' } });
        return [stream.status, first.status, second.status, reacted.status];
      }),
    );
    assert.deepEqual(
      results.filter((r) => r.join() !== '200,201,201,202'),
      [],
      'nobody was limited',
    );
  });

  it('refuses a shopper token once it expired (--shopper-ttl), while its hold runs its course', async () => {
    const short = await startReferenceServer({ args: ['--shopper-ttl', '2'] });
    try {
      const s = apiFor(short);
      const dropId = await s.createDrop();
      const token = await s.newShopper(loopbackAddress(90));
      const held = await s.call('POST', `/v1/drops/${dropId}/reservations`, {
        token,
        body: { productId: 'tee', variantId: 's', quantity: 1 },
      });
      assert.equal(held.status, 201);
      await sleep(2300);
      const late = await s.call('POST', `/v1/drops/${dropId}/reservations`, {
        token,
        body: { productId: 'tee', variantId: 'm', quantity: 1 },
      });
      assert.equal(late.status, 401);
      assert.equal(late.body.code, 'unauthorized');
      assert.equal((await s.call('GET', `/v1/reservations/${held.body.id}`, { token })).status, 401);
      assert.equal(
        (await s.host('GET', `/v1/host/drops/${dropId}/sales`)).body.reservations.held,
        1,
        'the hold itself stays until it expires',
      );
    } finally {
      await short.stop();
    }
  });
});

describe('the confirm-only key (--confirm-key)', () => {
  let server: RunningServer;
  let api: Api;
  const confirmKey = 'checkout-server-key-0123456789';
  before(async () => {
    server = await startReferenceServer({ args: ['--confirm-key', confirmKey] });
    api = apiFor(server);
  });
  after(() => server.stop());

  it('confirms a hold (201) and can do nothing else', async () => {
    const dropId = await api.createDrop();
    const token = await api.newShopper();
    const r = (
      await api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } })
    ).body;
    const confirmed = await api.call('POST', `/v1/reservations/${r.id}/confirm`, {
      token: confirmKey,
      headers: { 'idempotency-key': 'order-1' },
    });
    assert.equal(confirmed.status, 201);
    assert.equal(confirmed.body.reservation.status, 'confirmed');
    assert.equal((await api.call('GET', `/v1/host/drops/${dropId}/sales`, { token: confirmKey })).status, 401, 'not a host token');
    assert.equal((await api.call('DELETE', `/v1/reservations/${r.id}`, { token: confirmKey })).status, 401, 'not a shopper token');
    assert.equal((await api.call('POST', `/v1/reservations/${r.id}/confirm`, { token: 'wrong-key-0123456789abcdef' })).status, 401);
  });
});

describe('housekeeping of expired shoppers', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'live-drop-abuse-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('deletes shoppers whose tokens expired and forgets the addresses of ended holds, keeping their reservations', async () => {
    const db = await openPgliteDatabase(dir);
    try {
      await migrate(db);
      const service = createReservationService(
        db,
        { changed() {}, flush: async () => {}, close: async () => {} },
        { shopperTtlMs: 2000, maxHoldsPerIp: 10 },
      );
      await db.query(`INSERT INTO drops (id, title, starts_at, status, hold_ms, created_at) VALUES ('d', 'D', 0, 'live', 60000, 0)`);
      await db.query(`INSERT INTO products (drop_id, id, position, title, prices, limit_per_customer) VALUES ('d', 'p', 0, 'P', '[]', 5)`);
      await db.query(
        `INSERT INTO variants (drop_id, product_id, id, position, label, stock, available) VALUES ('d', 'p', 'v', 0, 'V', 5, 5)`,
      );
      const old = await service.createShopper();
      const held = await service.reserve(old, 'd', { productId: 'p', variantId: 'v', quantity: 1 }, null, '127.0.0.9');
      const ended = await service.reserve(old, 'd', { productId: 'p', variantId: 'v', quantity: 1 }, null, '127.0.0.9');
      await service.cancel({ kind: 'host' }, ended.body.id);
      await sleep(2100);
      const fresh = await service.createShopper();
      assert.equal(await service.forgetExpired(), 1, 'one shopper expired');
      assert.equal(await service.isShopper(old), false);
      assert.equal(await service.isShopper(fresh), true);
      const rows = await db.query<{ id: string; client_ip: string | null }>('SELECT id, client_ip FROM reservations ORDER BY created_at');
      assert.deepEqual(
        Object.fromEntries(rows.map((r) => [r.id, r.client_ip])),
        { [held.body.id]: '127.0.0.9', [ended.body.id]: null },
        'reservations stay; only a current hold keeps its address',
      );
    } finally {
      await db.close();
    }
  });
});
