/**
 * The HTTP layer's last line of defence, with a fault injected: a route
 * whose handler throws (a bug) must answer a 500 problem and log, and the
 * server must go on serving. Everything else in this folder runs the real server.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createRequestHandler } from '../../server/http/request-handler.js';
import { createLogger } from '../../server/observability/logger.js';
import { Router } from '../../server/http/router.js';
import { createHlsStream } from '../../server/stream/hls-stream.js';
import type { Json } from './support/api-client.js';

describe('request handler', () => {
  let server: Server;
  let url: string;
  const lines: Record<string, Json>[] = [];
  const log = createLogger({
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  });
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
    server = createServer(createRequestHandler({ router, allowedOrigins: ['*'], stream: createHlsStream(), log }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a thrown bug with a 500 internal problem, logs it, and keeps serving', async () => {
    for (const path of ['/boom', '/async-boom']) {
      const res = await fetch(url + path);
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const body = await res.json();
      assert.equal(body.code, 'internal');
      assert.equal(body.detail, undefined, 'no internals leak to the client');
    }
    const errors = lines.filter((l) => l.level === 50);
    assert.equal(errors.length, 2);
    // The error line carries the route, the request id and the stack.
    assert.equal(errors[0].route, '/boom');
    assert.equal(errors[0].err.message, 'a bug');
    assert.match(errors[0].err.stack, /request-handler\.test\.ts/);
    assert.ok(
      lines.some((l) => l.msg === 'request' && l.reqId === errors[0].reqId && l.status === 500),
      'the request line has the same id',
    );
    assert.equal((await fetch(url + '/ok')).status, 200);
  });
});
