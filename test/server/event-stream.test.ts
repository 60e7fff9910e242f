import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDropEvent } from '../../src/protocol/parse.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, eventually, tee, type Api } from './support/api-client.js';
import { openEvents, type EventClient } from './support/event-client.js';
import type { StockLevel } from '../../src/protocol/types.js';

describe('drop event stream (SSE)', () => {
  let server: RunningServer;
  let api: Api;
  const clients: EventClient[] = [];
  const events = async (dropId: string, options?: Parameters<typeof openEvents>[1]) => {
    const client = await openEvents(`${server.url}/v1/drops/${dropId}/events`, options);
    clients.push(client);
    return client;
  };
  before(async () => {
    // A small ring buffer, so that a gap "older than the buffer" takes five events to make.
    // Heartbeats every second, so that one shows up within the test.
    // A 2 s request timeout, so that a stream outliving it and a stalled body cut by it both show within the test.
    server = await startReferenceServer({ args: ['--event-buffer', '4', '--heartbeat-seconds', '1', '--request-timeout-seconds', '2'] });
    api = apiFor(server);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.stop();
  });

  it('opens with the SSE headers, a retry hint and a snapshot of the whole drop', async () => {
    const dropId = await api.createDrop();
    const stream = await events(dropId);
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(stream.headers.get('x-accel-buffering'), 'no');
    assert.match(stream.headers.get('cache-control') ?? '', /no-cache/);
    const snapshot = await stream.next('snapshot');
    assert.equal(stream.events[0], snapshot, 'the snapshot comes first');
    assert.match(snapshot.id, /^\d+$/);
    assert.ok(stream.retry !== null && stream.retry > 0);
    const parsed = parseDropEvent('snapshot', JSON.stringify(snapshot.data), snapshot.id);
    assert.equal(parsed?.type === 'snapshot' && parsed.data.id, dropId);
  });

  it('keeps an idle stream alive with comment heartbeats', async () => {
    const dropId = await api.createDrop();
    const stream = await events(dropId);
    await stream.next('snapshot');
    const deadline = Date.now() + 15_000;
    while (!stream.comments.includes('heartbeat') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(stream.comments.includes('heartbeat'), `comments: ${stream.comments.join(', ')}`);
  });

  it('outlives the request timeout, which cuts a request whose body never finishes', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 9 }, { limitPerCustomer: 9 })] });
    const stream = await events(dropId);
    await stream.next('snapshot');
    // A body that says 200 bytes and sends 10: the server must not wait for the rest forever.
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    const started = Date.now();
    socket.write(
      `POST /v1/drops/${dropId}/reactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"a":1,   `,
    );
    let answer = '';
    socket.on('data', (c) => (answer += c));
    socket.on('error', () => {});
    await Promise.race([once(socket, 'close'), sleep(20_000, undefined, { ref: false })]);
    assert.ok(socket.destroyed || socket.readableEnded, `the stalled request is still open after ${Date.now() - started} ms`);
    assert.match(answer, /^$|^HTTP\/1\.1 408/, 'cut, with a 408 if anything');
    // The event stream, opened before, is older than the request timeout by now and still delivers.
    await new Promise((r) => setTimeout(r, Math.max(0, 2500 - (Date.now() - started))));
    const token = await api.newShopper();
    await api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } });
    await stream.next('stock', (e) => e.data.levels[0].available === 8);
  });

  it('answers HEAD with the stream’s headers and no stream', async () => {
    const dropId = await api.createDrop();
    const res = await fetch(`${server.url}/v1/drops/${dropId}/events`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  });

  it('streams to an HTTP/1.0 client, which takes no chunks, the same events unframed until the close', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 9 })] });
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    let raw = '';
    socket.on('data', (c) => (raw += c));
    socket.on('error', () => {});
    try {
      socket.write(`GET /v1/drops/${dropId}/events HTTP/1.0\r\nHost: ${hostname}\r\n\r\n`);
      await eventually(() => raw.includes('event: snapshot'), { what: 'the snapshot' });
      const token = await api.newShopper();
      await api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } });
      await eventually(() => raw.includes('"available":8'), { what: 'the stock event' });
      const [head, body] = raw.split('\r\n\r\n');
      assert.doesNotMatch(head, /transfer-encoding/i);
      // Every line of the body is SSE (a field, a comment or the blank line after an event): no chunk sizes among them.
      for (const line of body.split('\n')) assert.match(line, /^$|^(id|event|data|retry): |^: /, `not SSE: ${JSON.stringify(line)}`);
    } finally {
      socket.destroy();
    }
  });

  it('answers 404 with a problem for an unknown drop', async () => {
    const res = await api.call('GET', '/v1/drops/no-such-drop/events');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not-found');
  });

  it('sends stock changes coalesced: a burst of purchases costs a few events, and the last one is the final level', async () => {
    const dropId = await api.createDrop({ products: [tee('tee', { s: 60, m: 5 })] });
    const stream = await events(dropId);
    await stream.next('snapshot');
    const tokens = await Promise.all(Array.from({ length: 40 }, () => api.newShopper()));
    await Promise.all(
      tokens.map((token) =>
        api.call('POST', `/v1/drops/${dropId}/reservations`, { token, body: { productId: 'tee', variantId: 's', quantity: 1 } }),
      ),
    );
    const final = await stream.next('stock', (e) => e.data.levels.some((l: StockLevel) => l.variantId === 's' && l.available === 20));
    const stockEvents = stream.events.filter((e) => e.type === 'stock');
    // 40 purchases land within a few 75 ms windows; a margin of several times that keeps a busy machine from failing it.
    assert.ok(stockEvents.length <= 20, `${stockEvents.length} stock events for 40 purchases`);
    assert.deepEqual(final.data.levels, [{ productId: 'tee', variantId: 's', available: 20 }]);
    for (const e of stockEvents) assert.ok(parseDropEvent('stock', JSON.stringify(e.data), e.id));
  });

  it('stamps featured products with the server wall-clock time and keeps them in featuredHistory', async () => {
    const dropId = await api.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    const stream = await events(dropId);
    await stream.next('snapshot');
    const before = Date.now();
    const res = await api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'b' });
    assert.equal(res.status, 200);
    const featured = await stream.next('featured');
    assert.equal(featured.data.productId, 'b');
    assert.equal(featured.data.at, res.body.at);
    assert.ok(featured.data.at >= before - 1000 && featured.data.at <= Date.now() + 1000);
    await api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: null });
    assert.equal((await stream.next('featured', (e) => e.data.productId === null)).data.productId, null);
    const drop = (await api.call('GET', `/v1/drops/${dropId}`)).body;
    assert.equal(drop.featured, null);
    assert.deepEqual(drop.featuredHistory, [{ productId: 'b', at: featured.data.at }]);
  });

  it('announces the scheduled start on its own at startsAt, then the end', async () => {
    const dropId = await api.createDrop({ startsAt: Date.now() + 3_600_000 });
    const stream = await events(dropId);
    assert.equal((await stream.next('snapshot')).data.status, 'scheduled');
    // Moved close only once the stream is open, so a slow machine cannot miss the moment.
    const startsAt = Date.now() + 1000;
    await api.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt });
    const live = await stream.next('status', (e) => e.data.status === 'live');
    assert.equal(live.data.startsAt, startsAt);
    assert.ok(live.data.at >= startsAt);
    await api.host('POST', `/v1/host/drops/${dropId}/end`);
    const ended = await stream.next('status', (e) => e.data.status === 'ended');
    assert.ok(ended.data.endsAt >= startsAt);
    // The end publishes the recording: the event carries the stream as the drop now has it.
    const drop = (await api.call('GET', `/v1/drops/${dropId}`)).body as { stream: { replay: string | null } };
    assert.deepEqual(ended.data.stream, drop.stream);
  });

  it('carries the recording of a show that ends in its status event', async () => {
    const dropId = await api.createDrop({ startsAt: Date.now() - 1000, stream: { hls: 'stream/live.m3u8' } });
    const stream = await events(dropId);
    await stream.next('snapshot');
    await api.host('POST', `/v1/host/drops/${dropId}/end`);
    const ended = await stream.next('status', (e) => e.data.status === 'ended');
    assert.equal(ended.data.stream?.hls, 'stream/live.m3u8');
    assert.match(ended.data.stream?.replay ?? '', /replay\.m3u8\?from=\d+&to=\d+/);
  });

  it('follows a rescheduled start with a status event, and a restructured drop with a snapshot however large', async () => {
    const products = Array.from({ length: 6 }, (_, i) => tee(`p${i}`, { s: 1, m: 1, l: 1 }, { description: 'Long story. '.repeat(300) }));
    const dropId = await api.createDrop({ startsAt: Date.now() + 3_600_000, products });
    const stream = await events(dropId);
    await stream.next('snapshot');
    const startsAt = Date.now() + 7_200_000;
    await api.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt, title: 'Renamed' });
    const status = await stream.next('status');
    assert.deepEqual({ status: status.data.status, startsAt: status.data.startsAt }, { status: 'scheduled', startsAt });
    const snapshot = await stream.next('snapshot', (e) => e.data.title === 'Renamed');
    assert.ok(JSON.stringify(snapshot.data).length > 20_000, 'larger than a NOTIFY payload may be');
    assert.equal(snapshot.data.products.length, 6);
  });

  it('carries an event whose text is short but whose UTF-8 bytes are over NOTIFY’s limit', async () => {
    const dropId = await api.createDrop();
    const stream = await events(dropId);
    await stream.next('snapshot');
    const description = '€'.repeat(4000); // 4000 characters, 12 000 bytes
    assert.equal((await api.host('PATCH', `/v1/host/drops/${dropId}`, { description })).status, 200);
    assert.equal((await stream.next('snapshot', (e) => e.data.description !== '')).data.description, description);
  });

  it('counts open streams as viewers', async () => {
    const dropId = await api.createDrop();
    const first = await events(dropId);
    await first.next('viewers', (e) => e.data.count === 1);
    const second = await events(dropId);
    await first.next('viewers', (e) => e.data.count === 2);
    second.close();
    await first.next(
      'viewers',
      (e) => e.data.count === 1 && Number(e.id) > 0 && first.events.some((x) => x.type === 'viewers' && x.data.count === 2),
    );
  });

  it('gives every event an id larger than the one before', async () => {
    const dropId = await api.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
    const stream = await events(dropId);
    await stream.next('snapshot');
    for (const productId of ['a', 'b', 'a']) await api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId });
    await stream.next('featured', (e) => stream.events.filter((x) => x.type === 'featured').length === 3 && e.data.productId === 'a');
    const ids = stream.events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it('drops a viewer that stopped reading instead of buffering for it without end', async () => {
    const products = Array.from({ length: 12 }, (_, i) => tee(`p${i}`, { s: 1 }, { description: 'x'.repeat(4900) }));
    const dropId = await api.createDrop({ products });
    const watcher = await events(dropId);
    await watcher.next('snapshot');
    // A raw connection that reads the first bytes, then never again.
    const { port, hostname } = new URL(server.url);
    const stalled = connect(Number(port), hostname);
    stalled.write(`GET /v1/drops/${dropId}/events HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    await once(stalled, 'data');
    stalled.pause();
    const countsAfterBoth = () => {
      const both = watcher.events.findIndex((e) => e.type === 'viewers' && e.data.count === 2);
      return both < 0
        ? []
        : watcher.events
            .slice(both)
            .filter((e) => e.type === 'viewers')
            .map((e) => e.data.count);
    };
    try {
      await watcher.next('viewers', (e) => e.data.count === 2);
      // Each restructuring sends a ~60 KB snapshot to both viewers, until the stalled one is let go.
      for (let i = 0; i < 400 && !countsAfterBoth().includes(1); i++)
        await api.host('PATCH', `/v1/host/drops/${dropId}`, { title: `Take ${i}` });
      await eventually(() => countsAfterBoth().includes(1), { what: 'the stalled viewer to be dropped' });
    } finally {
      stalled.destroy();
    }
  });

  describe('resuming', () => {
    async function missTwoFeatures(dropId: string) {
      const stream = await events(dropId);
      const snapshot = await stream.next('snapshot');
      stream.close();
      await api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'a' });
      await api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId: 'b' });
      return snapshot.id;
    }

    it('replays exactly the missed events after Last-Event-ID, without a snapshot', async () => {
      const dropId = await api.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
      const lastEventId = await missTwoFeatures(dropId);
      const resumed = await events(dropId, { lastEventId });
      await resumed.next('featured', (e) => e.data.productId === 'b');
      const featured = resumed.events.filter((e) => e.type === 'featured');
      assert.deepEqual(
        featured.map((e) => e.data.productId),
        ['a', 'b'],
      );
      assert.ok(!resumed.events.some((e) => e.type === 'snapshot'));
      assert.ok(resumed.events.every((e) => Number(e.id) > Number(lastEventId)));
    });

    it('accepts the resume point as ?lastEventId= too (for clients that cannot set headers)', async () => {
      const dropId = await api.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
      const lastEventId = await missTwoFeatures(dropId);
      const resumed = await events(dropId, { query: `?lastEventId=${lastEventId}` });
      await resumed.next('featured', (e) => e.data.productId === 'b');
      assert.equal(resumed.events[0].type, 'featured');
    });

    it('sends a fresh snapshot when the gap is older than the buffer', async () => {
      const dropId = await api.createDrop({ products: [tee('a', { s: 1 }), tee('b', { s: 1 })] });
      const stream = await events(dropId);
      const snapshot = await stream.next('snapshot');
      stream.close();
      for (const productId of ['a', 'b', 'a', 'b', 'a', 'b']) await api.host('POST', `/v1/host/drops/${dropId}/feature`, { productId });
      const resumed = await events(dropId, { lastEventId: snapshot.id });
      const fresh = await resumed.next('snapshot');
      assert.equal(resumed.events[0], fresh);
      assert.equal(fresh.data.featured.productId, 'b');
      assert.ok(Number(fresh.id) > Number(snapshot.id));
    });

    it('sends a snapshot for a Last-Event-ID it cannot place', async () => {
      const dropId = await api.createDrop();
      for (const lastEventId of ['garbage', '99999999999']) {
        const resumed = await events(dropId, { lastEventId });
        assert.equal((await resumed.next('snapshot')).data.id, dropId);
        resumed.close();
      }
    });
  });
});
