/**
 * The HTTP layer's last line of defence, with a fault injected: a route
 * whose handler throws (a bug) must answer a 500 problem and log, and the
 * server must go on serving. Everything else in this folder runs the real server.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, mock } from 'node:test';
import { createRequestHandler } from '../../server/http/request-handler.js';
import { Router } from '../../server/http/router.js';
import { createHlsStream } from '../../server/stream/hls-stream.js';

describe('request handler', () => {
  let server: Server;
  let url: string;
  before(async () => {
    const router = new Router()
      .add('GET', '/boom', () => {
        throw new Error('a bug');
      })
      .add('GET', '/async-boom', async () => {
        await Promise.resolve();
        throw new TypeError('an async bug');
      })
      .add('GET', '/ok', () => ({ status: 200, body: { ok: true } }));
    server = createServer(createRequestHandler({ router, allowedOrigins: ['*'], stream: createHlsStream() }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a thrown bug with a 500 internal problem, logs it, and keeps serving', async () => {
    const logged = mock.method(console, 'error', () => {});
    try {
      for (const path of ['/boom', '/async-boom']) {
        const res = await fetch(url + path);
        assert.equal(res.status, 500);
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
        const body = await res.json();
        assert.equal(body.code, 'internal');
        assert.equal(body.detail, undefined, 'no internals leak to the client');
      }
      assert.equal(logged.mock.callCount(), 2);
      assert.match(String(logged.mock.calls[0].arguments[0]), /GET \/boom: Error: a bug/);
    } finally {
      logged.mock.restore();
    }
    assert.equal((await fetch(url + '/ok')).status, 200);
  });
});
