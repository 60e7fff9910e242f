/**
 * Operating a node: health and readiness probes, request ids, the structured
 * request log (and what it must never contain), the Prometheus metrics and
 * their bounded labels, and the drain on SIGTERM.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, eventually, tee, type Api, type Json } from './support/api-client.js';
import { openEvents } from './support/event-client.js';
import { metricsUrlOf, scrape, sum, type Sample } from './support/prometheus.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every route pattern of the protocol (the header of src/protocol/routes.ts), the media route, and the labels that are not routes. */
const ALLOWED_ROUTES = new Set([
  '/v1/time',
  '/v1/drops/:dropId',
  '/v1/drops/:dropId/events',
  '/v1/drops/:dropId/reactions',
  '/v1/shoppers',
  '/v1/drops/:dropId/reservations',
  '/v1/reservations/:id',
  '/v1/reservations/:id/confirm',
  '/v1/host/drops',
  '/v1/host/drops/:dropId',
  '/v1/host/drops/:dropId/products/:productId',
  '/v1/host/drops/:dropId/products/:productId/variants/:variantId/stock',
  '/v1/host/drops/:dropId/start',
  '/v1/host/drops/:dropId/end',
  '/v1/host/drops/:dropId/feature',
  '/v1/host/drops/:dropId/sales',
  '/v1/host/drops/:dropId/reservations',
  '/media/:file',
  '/stream/*',
  '/healthz',
  '/readyz',
  'preflight',
  'unmatched',
  'draining',
]);

/** The JSON lines of the server's output. */
const logLines = (server: RunningServer): Record<string, Json>[] =>
  server.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

describe('operating a node', () => {
  let server: RunningServer;
  let api: Api;
  let samples: Sample[];
  const secrets: string[] = [];
  const ids: string[] = [];

  before(async () => {
    server = await startReferenceServer({ args: ['--metrics-port', '0', '--log-level', 'info'], captureOutput: true });
    api = apiFor(server);
    secrets.push(server.hostToken);
  });
  after(() => server?.stop());

  it('answers /healthz and /readyz with 200 and the checks, without CORS or authentication', async () => {
    const health = await api.call('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await api.call('GET', '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok', migrations: 'ok', listener: 'ok', draining: false } });
    assert.equal((await api.call('HEAD', '/readyz')).status, 200);
    assert.equal((await api.call('POST', '/healthz')).status, 405);
  });

  it("echoes a caller's X-Request-Id and makes one up when it is absent or not an id", async () => {
    const given = await api.call('GET', '/v1/time', { headers: { 'x-request-id': 'trace-4bf92f35.b7ad:6b' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-4bf92f35.b7ad:6b');
    assert.match((await api.call('GET', '/v1/time')).headers.get('x-request-id') ?? '', UUID);
    assert.match((await api.call('GET', '/v1/time', { headers: { 'x-request-id': 'a b"c' } })).headers.get('x-request-id') ?? '', UUID);
    assert.match(
      (await api.call('GET', '/v1/time', { headers: { 'x-request-id': 'x'.repeat(129) } })).headers.get('x-request-id') ?? '',
      UUID,
    );
    const problem = await api.call('GET', '/v1/nothing-here', { headers: { 'x-request-id': 'on-errors-too' } });
    assert.equal(problem.status, 404);
    assert.equal(problem.headers.get('x-request-id'), 'on-errors-too');
  });

  it('runs a small drop: reservations granted and refused, a confirmation, a viewer, hostile requests', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 2 }, { limitPerCustomer: 2 })] });
    ids.push(dropId);
    const viewer = await openEvents(`${server.url}/v1/drops/${dropId}/events`);
    await viewer.next('snapshot');
    const shoppers = [await api.newShopper(), await api.newShopper(), await api.newShopper()];
    secrets.push(...shoppers);
    const reserve = (token: string, quantity = 1) =>
      api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity } });
    const granted = await reserve(shoppers[0], 2);
    assert.equal(granted.status, 201);
    ids.push(granted.body.id);
    assert.equal((await reserve(shoppers[1])).body.code, 'sold-out');
    assert.equal((await reserve(shoppers[2], 0)).body.code, 'validation-failed');
    assert.equal(
      (await api.call('POST', `/v1/drops/${dropId}/reservations`, { token: 'shp_not-a-real-token-0123456789', body: {} })).status,
      401,
    );
    secrets.push('shp_not-a-real-token-0123456789');
    const order = await api.call('POST', `/v1/reservations/${granted.body.id}/confirm`, { token: server.hostToken });
    assert.equal(order.status, 201);
    ids.push(order.body.id);
    await viewer.next('stock');
    // Hostile or odd requests: none of them may become a label.
    for (const [method, path] of [
      ['GET', '/v1/drops/%ZZ'],
      ['GET', `/v1/drops/${dropId}/secret-${shoppers[2]}`],
      ['GET', `/v1/drops/${shoppers[2]}`],
      ['GET', `/v1/reservations/${server.hostToken}`],
      ['PROPFIND', '/v1/time'],
      ['DELETE', '/v1/time'],
      ['GET', `/${'y'.repeat(300)}`],
    ])
      await api.call(method, path);

    samples = await scrape(metricsUrlOf(server));
    assert.equal(sum(samples, 'livedrop_event_streams'), 1, 'one stream open');
    viewer.close();
  });

  it('counts requests by route pattern and status, reservations by outcome, confirmations, streams and events', async () => {
    assert.ok(
      sum(samples, 'livedrop_http_requests_total', { method: 'POST', route: '/v1/drops/:dropId/reservations', status: '201' }) >= 1,
    );
    assert.ok(
      sum(samples, 'livedrop_http_request_duration_seconds_count', { method: 'POST', route: '/v1/drops/:dropId/reservations' }) >= 4,
    );
    assert.equal(
      sum(samples, 'livedrop_http_request_duration_seconds_count', { route: '/v1/drops/:dropId/events' }),
      0,
      'stream lifetimes stay out of the latency histogram',
    );
    assert.equal(sum(samples, 'livedrop_reservations_total', { outcome: 'granted' }), 1);
    assert.equal(sum(samples, 'livedrop_reservations_total', { outcome: 'sold-out' }), 1);
    assert.equal(sum(samples, 'livedrop_reservations_total', { outcome: 'validation-failed' }), 1);
    assert.equal(sum(samples, 'livedrop_reservations_total', { outcome: 'unauthorized' }), 1);
    assert.equal(sum(samples, 'livedrop_confirmations_total'), 1);
    assert.ok(sum(samples, 'livedrop_event_stream_connections_total', { start: 'fresh' }) >= 1);
    assert.ok(sum(samples, 'livedrop_events_published_total', { type: 'stock' }) >= 1);
    assert.ok(sum(samples, 'livedrop_event_delivery_seconds_count') >= 1, 'delivery delays are measured');
    assert.equal(sum(samples, 'livedrop_active_holds'), 0, 'the one hold was confirmed');
    assert.ok(
      samples.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds'),
      'process metrics too',
    );
    assert.equal(sum(samples, 'livedrop_http_requests_total', { method: 'other', route: 'unmatched', status: '405' }), 1, 'PROPFIND');
  });

  it('uses label values from fixed sets only: route patterns, never ids, paths or tokens', () => {
    const routes = new Set(samples.filter((s) => s.labels.route !== undefined).map((s) => s.labels.route));
    for (const route of routes) assert.ok(ALLOWED_ROUTES.has(route), `route label "${route}" is a pattern`);
    for (const s of samples)
      for (const value of Object.values(s.labels)) {
        for (const secret of [...secrets, ...ids]) assert.ok(!value.includes(secret), `${s.name} has no label holding ${secret}`);
        assert.ok(value.length < 100, `${s.name}: short label value ${value}`);
      }
  });

  it('serves metrics only on the metrics port, bound to 127.0.0.1', async () => {
    assert.match(metricsUrlOf(server), /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal((await api.call('GET', '/metrics')).status, 404);
  });

  it('logs one JSON line per request with its route pattern, status, duration and id, and never a token', async () => {
    const tagged = await api.call('GET', `/v1/drops/${ids[0]}`, { headers: { 'x-request-id': 'find-me-in-the-log' } });
    await eventually(async () => logLines(server).some((l) => l.reqId === 'find-me-in-the-log'), { what: 'the request line' });
    const line = logLines(server).find((l) => l.reqId === 'find-me-in-the-log')!;
    assert.equal(tagged.status, 200);
    assert.deepEqual(
      { level: line.level, msg: line.msg, method: line.method, route: line.route, status: line.status },
      { level: 30, msg: 'request', method: 'GET', route: '/v1/drops/:dropId', status: 200 },
    );
    assert.equal(typeof line.ms, 'number');
    assert.equal(typeof line.time, 'string');
    const reserved = logLines(server).filter((l) => l.msg === 'request' && l.route === '/v1/drops/:dropId/reservations');
    assert.deepEqual(reserved.map((l) => l.status).sort(), [201, 401, 409, 422]);
    for (const secret of secrets) assert.ok(!server.output.includes(secret), `the log holds no token (${secret.slice(0, 6)}…)`);
    assert.doesNotMatch(server.output, /Bearer/i);
  });
});

describe('draining on SIGTERM', () => {
  it('turns unready, refuses new requests with 503 and Retry-After, moves event streams, finishes requests under way, and exits', async () => {
    const server = await startReferenceServer({ args: ['--drain-seconds', '30'], captureOutput: true });
    try {
      const api = apiFor(server);
      const dropId = await api.createDrop({ products: [tee('tee', { s: 5 })] });
      const token = await api.newShopper();
      const viewer = await openEvents(`${server.url}/v1/drops/${dropId}/events`);
      await viewer.next('snapshot');
      // The node counts the viewer within a second (a `viewers` event); wait for it, so the drain below is the only
      // thing left to happen to the stream.
      const counted = await viewer.next('viewers');

      // A reservation under way: its body arrives only after the drain has begun. `Expect: 100-continue`
      // makes the server confirm it has read the headers (and started handling it) before the test goes on.
      const body = JSON.stringify({ productId: 'tee', variantId: 's', quantity: 1 });
      const port = Number(new URL(server.url).port);
      let finishBody!: () => void;
      let started!: () => void;
      const handled = new Promise<void>((resolve) => (started = resolve));
      const slow = new Promise<{ status: number; text: string; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/v1/drops/${dropId}/reservations`,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              expect: '100-continue',
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
          },
        );
        req.on('error', (error) => reject(Object.assign(error, { at: Date.now() })));
        req.on('continue', () => {
          req.write(body.slice(0, 10));
          started();
        });
        finishBody = () => req.end(body.slice(10));
      });
      await handled;
      slow.catch(() => {}); // judged below, with the server's log if it failed

      const signalled = Date.now();
      server.process.kill('SIGTERM');
      await eventually(async () => (await api.call('GET', '/readyz')).status === 503, { what: '/readyz to turn unready' });
      const ready = await api.call('GET', '/readyz');
      assert.equal(ready.body.checks.draining, true);
      assert.equal((await api.call('GET', '/healthz')).status, 200, 'still alive');

      const refused = await api.call('GET', `/v1/drops/${dropId}`);
      assert.equal(refused.status, 503);
      assert.equal(refused.body.code, 'unavailable');
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(refused.headers.get('connection'), 'close');

      // The stream was told to come back (retry:) and ended, with nothing lost on the way.
      await eventually(async () => viewer.comments.some((c) => /reconnect with Last-Event-ID/.test(c)), { what: 'the reconnect comment' });
      assert.ok(viewer.retry !== null && viewer.retry >= 500 && viewer.retry <= 1500, `retry: ${viewer.retry}`);
      assert.equal(viewer.events.at(-1)!.id, counted.id);

      assert.equal(server.process.exitCode, null, 'it waits for the request under way');
      const finished = Date.now();
      finishBody();
      const answer = await slow.catch((error) => {
        throw new Error(
          `the reservation under way failed ${error.at - signalled} ms after SIGTERM: ${error.message}\n${server.output.slice(-3000)}`,
        );
      });
      assert.equal(answer.status, 201, `the reservation under way finished: ${answer.text}`);
      assert.equal(answer.headers.connection, 'close');

      assert.equal(await server.exited, 0);
      const took = Date.now() - finished;
      assert.ok(took < 5000, `exited soon after the last request finished (${took} ms), not at the deadline (30 s)`);
      assert.match(server.output, /draining/);
    } finally {
      await server.stop();
    }
  });

  it('exits within the deadline even when a request never finishes', async () => {
    const server = await startReferenceServer({ args: ['--drain-seconds', '2'] });
    try {
      const dropId = await apiFor(server).createDrop();
      const token = await apiFor(server).newShopper();
      const port = Number(new URL(server.url).port);
      // A body that never completes.
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/v1/drops/${dropId}/reservations`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': 100 },
      });
      req.on('error', () => {});
      req.write('{');
      await new Promise((r) => setTimeout(r, 200));
      const signalled = Date.now();
      server.process.kill('SIGTERM');
      const code = await server.exited;
      const took = Date.now() - signalled;
      assert.ok(took < 3500, `gone ${took} ms after SIGTERM`);
      assert.ok(code === 0 || code === 1, `exit code ${code}`);
      req.destroy();
    } finally {
      await server.stop();
    }
  });
});
