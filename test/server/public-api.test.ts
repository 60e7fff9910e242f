import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDrop, parseServerTime } from '../../src/protocol/parse.js';
import { parseShopperSession } from '../../src/protocol/parse-reservation.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, type Api } from './support/api-client.js';
import { openEvents } from './support/event-client.js';

describe('public API', () => {
  let server: RunningServer;
  let api: Api;
  before(async () => {
    server = await startReferenceServer({ args: ['--allowed-origins', 'https://shop.example,http://localhost:3000'] });
    api = apiFor(server);
  });
  after(() => server.stop());

  it('tells the server time, also in an X-Server-Time header on every answer', async () => {
    const before = Date.now();
    const res = await api.call('GET', '/v1/time');
    assert.equal(res.status, 200);
    const { now } = parseServerTime(res.body);
    assert.ok(now >= before - 1000 && now <= Date.now() + 1000);
    assert.match(res.headers.get('x-server-time') ?? '', /^\d{13}$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const missing = await api.call('GET', '/v1/nothing-here');
    assert.match(missing.headers.get('x-server-time') ?? '', /^\d{13}$/);
  });

  it('serves the seeded demo drop: KAIRO Night Shift, two hoodies and two tees in S–XL, USD and EUR, one size sold out', async () => {
    const res = await api.call('GET', '/v1/drops/demo');
    assert.equal(res.status, 200);
    const drop = parseDrop(res.body);
    assert.equal(drop.brand, 'KAIRO');
    assert.equal(drop.title, 'Night Shift');
    assert.equal(drop.status, 'scheduled');
    assert.ok(drop.startsAt > Date.now() + 30_000, 'starts a minute or so after the server');
    assert.deepEqual(
      drop.products.map((p) => p.id),
      ['hoodie-night', 'hoodie-dawn', 'tee-signal', 'tee-static'],
    );
    for (const p of drop.products) {
      assert.deepEqual(
        p.variants.map((v) => v.label),
        ['S', 'M', 'L', 'XL'],
      );
      assert.deepEqual(
        p.prices.map((m) => m.currency),
        ['USD', 'EUR'],
      );
      assert.equal(p.limitPerCustomer, 2);
      assert.match(p.images[0].url, /^media\/[a-z-]+\.svg$/);
    }
    assert.ok(
      drop.products.some((p) => p.variants.some((v) => v.available === 0)),
      'one size is sold out',
    );
    assert.equal(drop.stream.hls, 'stream/main.m3u8');
    assert.equal(drop.checkoutUrl, null);
  });

  it('serves product images relative to the backend URL, cached for a long time', async () => {
    const drop = parseDrop((await api.call('GET', '/v1/drops/demo')).body);
    const image = new URL(drop.products[0].images[0].url, server.url + '/');
    const res = await fetch(image);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000/);
    assert.match(await res.text(), /^<svg /);
    assert.equal((await fetch(`${server.url}/media/..%2Fconfig.ts`)).status, 404);
  });

  it('mounts the simulated stream under /stream/', async () => {
    const res = await fetch(`${server.url}/stream/live.m3u8`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /#EXTM3U/);
  });

  it('issues shopper tokens', async () => {
    const a = await api.call('POST', '/v1/shoppers');
    const b = await api.call('POST', '/v1/shoppers');
    assert.equal(a.status, 201);
    assert.notEqual(parseShopperSession(a.body).shopperToken, parseShopperSession(b.body).shopperToken);
  });

  it('accepts reactions and sends them to viewers summed by kind', async () => {
    const events = await openEvents(`${server.url}/v1/drops/demo/events`);
    try {
      await events.next('snapshot');
      for (const kind of ['heart', 'heart', 'fire'])
        assert.equal((await api.call('POST', '/v1/drops/demo/reactions', { body: { kind } })).status, 202);
      // Summed over every reactions event so far (next() looks at all events again each time one arrives).
      const total = (kind: string) =>
        events.events.filter((e) => e.type === 'reactions').reduce((sum, e) => sum + (e.data.counts[kind] ?? 0), 0);
      await events.next('reactions', () => total('heart') === 2 && total('fire') === 1);
      assert.equal((await api.call('POST', '/v1/drops/demo/reactions', { body: { kind: 'meh' } })).status, 422);
      assert.equal((await api.call('POST', '/v1/drops/nope/reactions', { body: { kind: 'heart' } })).status, 404);
    } finally {
      events.close();
    }
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with the methods and headers the elements use', async () => {
      const res = await fetch(`${server.url}/v1/drops/demo/reservations`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
    });

    it('answers a preflighted Range request for the simulated stream, which any origin may play', async () => {
      for (const origin of ['https://shop.example', 'https://other.example']) {
        const res = await fetch(`${server.url}/stream/segments/0.ts`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
        });
        assert.equal(res.status, 204, origin);
        assert.equal(res.headers.get('access-control-allow-origin'), '*', origin);
        assert.match(res.headers.get('access-control-allow-headers') ?? '', /\bRange\b/i, origin);
        assert.match(res.headers.get('access-control-allow-methods') ?? '', /\bGET\b/, origin);
      }
    });

    it('exposes X-Server-Time to allowed origins and grants nothing to others', async () => {
      const ok = await fetch(`${server.url}/v1/time`, { headers: { origin: 'http://localhost:3000' } });
      assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:3000');
      assert.match(ok.headers.get('access-control-expose-headers') ?? '', /X-Server-Time/);
      const other = await fetch(`${server.url}/v1/time`, { headers: { origin: 'https://evil.example' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    });
  });
});
