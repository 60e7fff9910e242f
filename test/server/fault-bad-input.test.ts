/**
 * Bad input: malformed and hostile requests at every route of protocol v1.
 * The server must never answer 5xx, must answer every refusal with an RFC 9457
 * problem (`application/problem+json` with a `code` and the same `status`),
 * and must still serve afterwards.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { routes } from '../../src/protocol/routes.js';
import type { Problem, Reservation } from '../../src/protocol/types.js';
import { createRushDrop, createShoppers, type RushDrop } from '../../bench/lib/drop-fixture.js';
import { HttpClient, type HttpAnswer, type RequestOptions } from '../../bench/lib/http-client.js';
import { startReferenceServer, type RunningServer, type ServerOptions } from '../support/reference-server.js';
import { freshDatabase, postgresUrl } from './support/postgres.js';

interface Endpoint {
  method: string;
  path: string;
  auth: 'none' | 'shopper' | 'host';
  /** A valid body, whose fields the tests swap for wrong types. */
  body?: Record<string, unknown>;
  idempotent?: boolean;
  /** An event stream: only its headers are read. */
  stream?: boolean;
}

const WRONG_VALUES: unknown[] = [
  null,
  'x',
  -1,
  1.5,
  1e308,
  true,
  [],
  {},
  'a'.repeat(100_000),
  'nul\u0000byte',
  'lone \ud800 surrogate',
  '<script>alert(1)</script>',
];
const PATH_TRICKS = [
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e',
  '..',
  '%00',
  'a%2Fb',
  '%ZZ',
  '%E0%A4%A',
  '%F0%9F%92%A9',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
  "1'%20OR%20'1'='1",
];

// PGlite, and PostgreSQL when available: the two refuse some bytes differently (PostgreSQL text cannot hold U+0000).
const storages: [string, ServerOptions, string | false][] = [
  ['PGlite', {}, false],
  [
    'PostgreSQL',
    { databaseUrl: 'fresh' }, // a database of its own, made in before()
    postgresUrl ? false : 'TEST_DATABASE_URL is not set (source .ci/postgres.sh)',
  ],
];

for (const [storage, serverOptions, skip] of storages) {
  describe(`bad input at every endpoint, on ${storage}`, { timeout: 120_000, skip }, () => {
    let server: RunningServer;
    let client: HttpClient;
    let target: RushDrop;
    let spare: RushDrop;
    let shopper: string;
    let held: Reservation;
    let released: Reservation;
    let endpoints: Endpoint[];
    const answers: { what: string; res: HttpAnswer }[] = [];

    /** Sends a request, records its answer for the problem checks, and returns it. */
    async function send(what: string, method: string, path: string, o: RequestOptions & { headersOnly?: boolean } = {}) {
      const res = o.headersOnly ? await headersOf(method, path, o) : await client.request(method, path, o);
      answers.push({ what: `${what}: ${method} ${path.slice(0, 120)}`, res });
      assert.ok(res.status < 500, `${what}: ${method} ${path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 300)}`);
      return res;
    }

    /** The status and headers of a stream, which never ends by itself. */
    function headersOf(method: string, path: string, o: RequestOptions): Promise<HttpAnswer> {
      return new Promise((resolve, reject) => {
        const req = request(server.url + path, { method, headers: { ...o.headers } }, (res) => {
          if (res.statusCode === 200) {
            resolve({ status: 200, headers: res.headers, text: '', ms: 0 });
            req.destroy();
            return;
          }
          let text = '';
          res.on('error', () => {});
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ms: 0 }));
        });
        req.on('error', reject);
        req.end();
      });
    }

    /**
     * Sends 5 MB of JSON over a raw socket, declared up front or chunked. It
     * sends the headers (and, chunked, just over the limit), waits for the
     * server to refuse, and only then streams the rest: a server that closes
     * with unread data resets the connection, and the reset can destroy its
     * own answer before the client reads it. Resolves null when no answer came.
     */
    function sendHuge(method: string, path: string, headers: Record<string, string>, chunked: boolean): Promise<HttpAnswer | null> {
      const piece = 'a'.repeat(64 * 1024);
      const pieces = 80;
      const url = new URL(server.url);
      const write = (data: string) => (chunked ? `${data.length.toString(16)}\r\n${data}\r\n` : data);
      return new Promise((resolve) => {
        let received = '';
        const socket = connect(Number(url.port), url.hostname, async () => {
          const head = [
            `${method} ${path} HTTP/1.1`,
            `Host: ${url.host}`,
            'Content-Type: application/json',
            'Connection: close',
            chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${pieces * piece.length}`,
            ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
          ];
          socket.write(head.join('\r\n') + '\r\n\r\n' + (chunked ? write(piece) + write(piece) : ''));
          for (let waited = 0; waited < 3000 && !received && !socket.destroyed; waited += 50) await sleep(50);
          for (let i = chunked ? 2 : 0; i < pieces && !received && !socket.destroyed; i++) {
            if (!socket.write(write(piece))) await new Promise((r) => socket.once('drain', r).once('close', r));
          }
          if (!received && !socket.destroyed) socket.end(chunked ? '0\r\n\r\n' : '');
        });
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => (received += d));
        socket.on('error', () => {});
        socket.setTimeout(20_000, () => socket.destroy());
        socket.on('close', () => {
          const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(received);
          if (!m) return resolve(null);
          const hdrs = Object.fromEntries(
            m[2].split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
          );
          const length = Number(hdrs['content-length'] ?? m[3].length);
          resolve({ status: Number(m[1]), headers: hdrs, text: Buffer.from(m[3], 'latin1').subarray(0, length).toString(), ms: 0 });
        });
      });
    }

    const tokenFor = (e: Endpoint) => (e.auth === 'host' ? server.hostToken : e.auth === 'shopper' ? shopper : undefined);

    let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    before(async () => {
      if (serverOptions.databaseUrl) database = await freshDatabase('bad_input');
      server = await startReferenceServer(database ? { ...serverOptions, databaseUrl: database.url } : serverOptions);
      client = new HttpClient(server.url, { maxSockets: 8 });
      target = await createRushDrop(client, server.hostToken, { stock: 50, variants: 2 });
      spare = await createRushDrop(client, server.hostToken, { stock: 10, variants: 1 });
      [shopper] = await createShoppers(client, 1);
      const reserve = (key: string) =>
        client.json<Reservation>('POST', routes.reservations(target.drop.id), {
          token: shopper,
          headers: { 'idempotency-key': key },
          body: { productId: 'sneaker', variantId: 'v1', quantity: 1 },
        });
      held = await reserve('bad-input-setup-1');
      released = await reserve('bad-input-setup-2');
      const d = target.drop.id;
      const reserveBody = { productId: 'sneaker', variantId: 'v1', quantity: 1 };
      const productBody = {
        id: 'sneaker',
        title: 'T',
        prices: [{ currency: 'USD', amount: 100 }],
        variants: [{ id: 'v1', label: 'M', stock: 5 }],
      };
      endpoints = [
        { method: 'GET', path: routes.time(), auth: 'none' },
        { method: 'GET', path: routes.drop(d), auth: 'none' },
        { method: 'GET', path: routes.events(d), auth: 'none', stream: true },
        { method: 'POST', path: routes.reactions(d), auth: 'none', body: { kind: 'heart' } },
        { method: 'POST', path: routes.shoppers(), auth: 'none' },
        { method: 'POST', path: routes.reservations(d), auth: 'shopper', body: reserveBody, idempotent: true },
        { method: 'GET', path: routes.reservation(held.id), auth: 'shopper' },
        { method: 'DELETE', path: routes.reservation(released.id), auth: 'shopper' },
        { method: 'POST', path: routes.confirm(held.id), auth: 'host', idempotent: true },
        {
          method: 'POST',
          path: routes.host.drops(),
          auth: 'host',
          body: { title: 'T', startsAt: Date.now() + 60_000, products: [productBody], holdMs: 60_000 },
        },
        { method: 'PATCH', path: routes.host.drop(d), auth: 'host', body: { title: 'T', description: 'D', holdMs: 60_000 } },
        { method: 'PUT', path: routes.host.product(d, 'sneaker'), auth: 'host', body: productBody },
        { method: 'PUT', path: routes.host.stock(d, 'sneaker', 'v2'), auth: 'host', body: { available: 25 } },
        { method: 'POST', path: routes.host.start(spare.drop.id), auth: 'host' },
        { method: 'POST', path: routes.host.feature(d), auth: 'host', body: { productId: 'sneaker' } },
        { method: 'GET', path: routes.host.sales(d), auth: 'host' },
        { method: 'GET', path: routes.host.reservations(d), auth: 'host' },
        { method: 'POST', path: routes.host.end(spare.drop.id), auth: 'host' },
      ];
    });
    after(async () => {
      client?.close();
      await server?.stop();
      await database?.drop();
    });

    it('refuses broken JSON, wrong types and hostile bodies with a problem, never a 5xx', async () => {
      const nested = '['.repeat(200_000) + ']'.repeat(200_000);
      for (const e of endpoints.filter((e) => e.method !== 'GET')) {
        const token = tokenFor(e);
        const key = () => ({ 'idempotency-key': `bad-${Math.random().toString(36).slice(2)}` });
        const json = { 'content-type': 'application/json', ...(e.idempotent ? key() : {}) };
        for (const raw of [
          '{"a":',
          '{',
          '',
          'null',
          '[]',
          '"text"',
          '42',
          '{"a":1}}',
          '\u0000\u0001',
          nested,
          '{"__proto__":{"admin":true}}',
        ]) {
          await send(`raw body ${JSON.stringify(raw.slice(0, 20))}`, e.method, e.path, {
            token,
            body: raw,
            headers: { ...json, ...(e.idempotent ? key() : {}) },
          });
        }
        for (const field of Object.keys(e.body ?? {})) {
          for (const wrong of WRONG_VALUES) {
            const body = { ...e.body, [field]: wrong };
            await send(`${field} = ${JSON.stringify(wrong)?.slice(0, 20)}`, e.method, e.path, {
              token,
              body,
              headers: e.idempotent ? key() : {},
            });
          }
          const rest = { ...e.body };
          delete rest[field];
          await send(`without ${field}`, e.method, e.path, { token, body: rest, headers: e.idempotent ? key() : {} });
        }
      }
    });

    it('refuses huge bodies, declared or streamed, and wrong content types', async () => {
      for (const e of endpoints.filter((e) => e.method !== 'GET')) {
        const token = tokenFor(e);
        for (const chunked of [false, true]) {
          const what = `5 MB body (${chunked ? 'chunked' : 'declared'}): ${e.method} ${e.path}`;
          const res = await sendHuge(
            e.method,
            e.path,
            { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(e.idempotent ? { 'idempotency-key': `huge-${chunked}` } : {}) },
            chunked,
          );
          // A route that takes no body may answer before reading it and close: a reset can then eat the answer.
          if (!e.body && res === null) continue;
          assert.ok(res, `${what}: no answer`);
          answers.push({ what, res });
          assert.ok(res.status < 500, `${what} → ${res.status}`);
          if (e.body) assert.equal(res.status, 413, what);
        }
        if (!e.body) continue;
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/jsonp',
        ]) {
          const res = await send(`content-type ${type}`, e.method, e.path, {
            token,
            body: JSON.stringify(e.body),
            headers: { 'content-type': type, ...(e.idempotent ? { 'idempotency-key': `type-${Math.random()}` } : {}) },
          });
          assert.equal(res.status, 415, `${e.method} ${e.path} with ${type}`);
        }
      }
    });

    it('answers unknown ids and path tricks with 4xx problems', async () => {
      for (const e of endpoints) {
        const ids = [target.drop.id, held.id, released.id, spare.drop.id, 'sneaker', 'v1', 'v2'];
        const segments = e.path.split('/');
        for (let i = 0; i < segments.length; i++) {
          if (!ids.includes(segments[i])) continue;
          for (const trick of ['no-such-id', ...PATH_TRICKS]) {
            const path = [...segments.slice(0, i), trick, ...segments.slice(i + 1)].join('/');
            await send(`id → ${trick.slice(0, 20)}`, e.method, path, {
              token: tokenFor(e),
              body: e.body,
              headers: e.idempotent ? { 'idempotency-key': `trick-${Math.random()}` } : {},
              headersOnly: e.stream,
            });
          }
        }
      }
      for (const path of [
        '/',
        '/v1',
        '/v2/time',
        '/v1//drops',
        '/v1/drops',
        '/v1/host',
        '/v1/host/drops/../../time',
        '/.env',
        '/v1/time/',
        '/v1/time?%zz=%zz',
      ]) {
        await send('unknown path', 'GET', path);
      }
    });

    it('serves no file outside the media and stream directories, whatever the path', async () => {
      const escapes = [
        '..%2f..%2fpackage.json',
        '..%2F..%2F..%2Fpackage.json',
        '%2e%2e%2f%2e%2e%2fserver%2fmain.ts',
        '....%2f%2fpackage.json',
        '..%5c..%5cpackage.json',
        'a.svg%00.ts',
        '.env',
        '%2fetc%2fpasswd',
      ];
      for (const prefix of ['/media/', '/stream/']) {
        for (const escape of escapes) {
          const res = await send('escape', 'GET', prefix + escape);
          assert.ok(res.status >= 400, `GET ${prefix}${escape} → ${res.status}`);
          assert.ok(!res.text.includes('"name": "live-drop"') && !res.text.includes('root:'), `GET ${prefix}${escape} leaked a file`);
        }
        // Unnormalised dot segments, sent as is.
        const res = await send('raw dot segments', 'GET', `${prefix}../../package.json`);
        assert.ok(!res.text.includes('"name": "live-drop"'), `GET ${prefix}../../package.json leaked package.json`);
      }
      for (const range of [
        'bytes=999999999-',
        'bytes=5-1',
        'bytes=-0',
        'bytes=0-0,1-1',
        'bytes=abc',
        'lines=1-2',
        `bytes=${'9'.repeat(400)}-`,
      ]) {
        await send(`Range ${range.slice(0, 20)}`, 'GET', '/stream/poster.jpg', { headers: { range } });
        await send(`Range ${range.slice(0, 20)}`, 'GET', '/stream/live.m3u8', { headers: { range } });
      }
      for (const query of [
        'from=abc&to=def',
        'from=-1&to=1e400',
        `from=0&to=${Number.MAX_SAFE_INTEGER}`,
        'from=9007199254740993&to=1',
        'from=%00',
      ]) {
        await send('replay window', 'GET', `/stream/replay.m3u8?${query}`);
      }
    });

    it('answers wrong methods with 405 problems', async () => {
      const ids = () => [target.drop.id, spare.drop.id, held.id, released.id];
      const shape = (path: string) =>
        path
          .split('/')
          .map((seg) => (ids().includes(seg) ? ':id' : seg))
          .join('/');
      for (const e of endpoints) {
        const allowed = new Set(endpoints.filter((o) => shape(o.path) === shape(e.path)).map((o) => o.method));
        for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
          if (allowed.has(method)) continue;
          const res = await send('wrong method', method, e.path, { token: tokenFor(e) });
          assert.equal(res.status, 405, `${method} ${e.path}`);
        }
      }
    });

    it('refuses missing, wrong and hostile credentials', async () => {
      for (const e of endpoints.filter((e) => e.auth !== 'none')) {
        const wrongs = [
          '',
          'Bearer',
          'Bearer ',
          'Bearer nope',
          `Basic ${Buffer.from('a:b').toString('base64')}`,
          `Bearer ${'x'.repeat(8000)}`,
        ];
        if (e.auth === 'host') wrongs.push(`Bearer ${shopper}`);
        for (const authorization of wrongs) {
          const res = await send(`authorization ${authorization.slice(0, 20)}`, e.method, e.path, {
            body: e.body,
            headers: { authorization, ...(e.idempotent ? { 'idempotency-key': `auth-${Math.random()}` } : {}) },
          });
          assert.ok([401, 403].includes(res.status), `${e.method} ${e.path} with "${authorization.slice(0, 20)}" → ${res.status}`);
        }
      }
    });

    it('refuses invalid idempotency keys, and a reused key with another body', async () => {
      for (const e of endpoints.filter((e) => e.idempotent)) {
        for (const key of ['', ' ', 'a'.repeat(256), 'a'.repeat(10_000), 'ключ', '\t', 'key with spaces', 'ü']) {
          // Node sends header values as latin1: UTF-8 bytes arrive as they would from a hostile client.
          const headers = { 'idempotency-key': Buffer.from(key).toString('latin1') };
          const res = await send(`idempotency key ${JSON.stringify(key).slice(0, 20)}`, e.method, e.path, {
            token: tokenFor(e),
            body: e.body,
            headers,
          });
          assert.equal(res.status, 400, `${e.path} with key ${JSON.stringify(key.slice(0, 20))}`);
        }
      }
      const fresh = await createRushDrop(client, server.hostToken, { stock: 10, variants: 2 });
      const path = routes.reservations(fresh.drop.id);
      const headers = { 'idempotency-key': 'bad-input-reuse' };
      const first = await send('first use', 'POST', path, {
        token: shopper,
        headers,
        body: { productId: 'sneaker', variantId: 'v2', quantity: 1 },
      });
      assert.equal(first.status, 201, first.text);
      const again = await send('same key, same body', 'POST', path, {
        token: shopper,
        headers,
        body: { productId: 'sneaker', variantId: 'v2', quantity: 1 },
      });
      assert.equal(again.status, 201);
      assert.equal((JSON.parse(again.text) as Reservation).id, (JSON.parse(first.text) as Reservation).id, 'the first answer is replayed');
      const other = await send('same key, other body', 'POST', path, {
        token: shopper,
        headers,
        body: { productId: 'sneaker', variantId: 'v2', quantity: 2 },
      });
      assert.equal(other.status, 409);
    });

    it('answers hostile stream resumes without breaking the stream', async () => {
      for (const lastEventId of ['abc', '-1', '1e3', '99999999999999999999999', '0x10', '1.5', ' ', '9'.repeat(5000)]) {
        await send(`Last-Event-ID ${lastEventId.slice(0, 20)}`, 'GET', routes.events(target.drop.id), {
          headers: { 'last-event-id': lastEventId },
          headersOnly: true,
        });
        await send(
          `?lastEventId=${lastEventId.slice(0, 20)}`,
          'GET',
          `${routes.events(target.drop.id)}?lastEventId=${encodeURIComponent(lastEventId)}`,
          {
            headersOnly: true,
          },
        );
      }
    });

    it('survives bytes that are not HTTP at all', async () => {
      for (const junk of [
        '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
        'GET / HTTP/9.9\r\n\r\n',
        'HELLO\r\n\r\n',
        'GET /v1/time HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
        'A'.repeat(100_000),
      ]) {
        await new Promise<void>((resolve) => {
          const url = new URL(server.url);
          const socket = connect(Number(url.port), url.hostname, () => socket.end(junk, 'latin1'));
          socket.on('data', () => {});
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          socket.setTimeout(5000, () => socket.destroy());
        });
      }
    });

    it('answered every refusal with a problem+json body, and still serves', async () => {
      assert.ok(answers.length > 500, `sent ${answers.length} hostile requests`);
      const bad: string[] = [];
      for (const { what, res } of answers) {
        if (res.status < 400) continue;
        if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
          bad.push(`${what} → ${res.status} with content-type ${res.headers['content-type']}`);
          continue;
        }
        let p: Problem;
        try {
          p = JSON.parse(res.text) as Problem;
        } catch {
          bad.push(`${what} → ${res.status}: body is not JSON`);
          continue;
        }
        if (
          typeof p.code !== 'string' ||
          p.status !== res.status ||
          typeof p.title !== 'string' ||
          !String(p.type).startsWith('urn:live-drop:problem:')
        )
          bad.push(`${what} → ${res.status}: ${res.text.slice(0, 200)}`);
      }
      assert.deepEqual(bad.slice(0, 20), [], `${bad.length} answers were not problems`);
      assert.equal(server.process.exitCode, null, 'the server is still running');
      const time = await client.request('GET', routes.time());
      assert.equal(time.status, 200);
      const drop = await client.request('GET', routes.drop(target.drop.id));
      assert.equal(drop.status, 200);
    });
  });
}
