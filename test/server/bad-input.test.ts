import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, type Answer, type Api, type CallOptions } from './support/api-client.js';

/** Every refusal is a 4xx with an application/problem+json body naming a stable code. */
function assertProblem(res: Answer, status: number, code: string, what: string) {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(res.body.code, code, what);
  assert.equal(res.body.type, `urn:live-drop:problem:${code}`, what);
  assert.equal(res.body.status, status, what);
  assert.equal(typeof res.body.title, 'string', what);
}

describe('bad input is refused with a problem, never a 5xx', () => {
  let server: RunningServer;
  let api: Api;
  let dropId: string;
  let shopper: string;
  before(async () => {
    server = await startReferenceServer();
    api = apiFor(server);
    dropId = await api.createDrop();
    shopper = await api.newShopper();
  });
  after(() => server.stop());

  const cases = (): [string, string, string, CallOptions & { host?: boolean }, number, string][] => [
    ['unknown drop', 'GET', '/v1/drops/nope', {}, 404, 'not-found'],
    ['id that cannot exist', 'GET', '/v1/drops/has%20space', {}, 404, 'not-found'],
    ['broken percent-encoding', 'GET', '/v1/drops/%E0%A4%A', {}, 400, 'bad-request'],
    ['unknown route', 'GET', '/v2/drops', {}, 404, 'not-found'],
    ['wrong method', 'DELETE', '/v1/time', {}, 405, 'method-not-allowed'],
    ['unknown reservation', 'GET', '/v1/reservations/rsv_nope', { token: shopper }, 404, 'not-found'],
    [
      'reserve without a token',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { body: { productId: 'tee', variantId: 's', quantity: 1 } },
      401,
      'unauthorized',
    ],
    [
      'reserve with an unknown token',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: 'shp_madeup', body: { productId: 'tee', variantId: 's', quantity: 1 } },
      401,
      'unauthorized',
    ],
    ['malformed JSON', 'POST', `/v1/drops/${dropId}/reservations`, { token: shopper, raw: '{"productId": "tee",' }, 400, 'invalid-json'],
    [
      'not JSON at all',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, raw: 'productId=tee', contentType: 'application/x-www-form-urlencoded' },
      415,
      'unsupported-media-type',
    ],
    ['no body', 'POST', `/v1/drops/${dropId}/reservations`, { token: shopper }, 422, 'validation-failed'],
    ['an array body', 'POST', `/v1/drops/${dropId}/reservations`, { token: shopper, body: [] }, 422, 'validation-failed'],
    [
      'quantity as a string',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, body: { productId: 'tee', variantId: 's', quantity: '1' } },
      422,
      'validation-failed',
    ],
    [
      'quantity zero',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, body: { productId: 'tee', variantId: 's', quantity: 0 } },
      422,
      'validation-failed',
    ],
    [
      'fractional quantity',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, body: { productId: 'tee', variantId: 's', quantity: 1.5 } },
      422,
      'validation-failed',
    ],
    [
      'unknown product',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, body: { productId: 'hat', variantId: 's', quantity: 1 } },
      404,
      'not-found',
    ],
    [
      'unknown variant',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, body: { productId: 'tee', variantId: 'xxl', quantity: 1 } },
      404,
      'not-found',
    ],
    [
      'reserve in an unknown drop',
      'POST',
      '/v1/drops/nope/reservations',
      { token: shopper, body: { productId: 'tee', variantId: 's', quantity: 1 } },
      404,
      'not-found',
    ],
    [
      'drop without a title',
      'POST',
      '/v1/host/drops',
      { host: true, body: { startsAt: Date.now(), products: [] } },
      422,
      'validation-failed',
    ],
    [
      'startsAt as a date string',
      'POST',
      '/v1/host/drops',
      { host: true, body: { title: 'x', startsAt: '2026-01-01', products: [] } },
      422,
      'validation-failed',
    ],
    [
      'negative price',
      'POST',
      '/v1/host/drops',
      {
        host: true,
        body: {
          title: 'x',
          startsAt: 0,
          products: [{ id: 'p', title: 'p', prices: [{ currency: 'USD', amount: -1 }], variants: [{ id: 'v', label: 'V', stock: 1 }] }],
        },
      },
      422,
      'validation-failed',
    ],
    [
      'lower-case currency',
      'POST',
      '/v1/host/drops',
      {
        host: true,
        body: {
          title: 'x',
          startsAt: 0,
          products: [{ id: 'p', title: 'p', prices: [{ currency: 'usd', amount: 1 }], variants: [{ id: 'v', label: 'V', stock: 1 }] }],
        },
      },
      422,
      'validation-failed',
    ],
    [
      'duplicate product ids',
      'POST',
      '/v1/host/drops',
      {
        host: true,
        body: {
          title: 'x',
          startsAt: 0,
          products: [
            { id: 'p', title: 'p', prices: [{ currency: 'USD', amount: 1 }], variants: [{ id: 'v', label: 'V', stock: 1 }] },
            { id: 'p', title: 'p', prices: [{ currency: 'USD', amount: 1 }], variants: [{ id: 'v', label: 'V', stock: 1 }] },
          ],
        },
      },
      422,
      'validation-failed',
    ],
    ['hold shorter than a second', 'PATCH', `/v1/host/drops/${dropId}`, { host: true, body: { holdMs: 10 } }, 422, 'validation-failed'],
    ['patch of an unknown drop', 'PATCH', '/v1/host/drops/nope', { host: true, body: { title: 'x' } }, 404, 'not-found'],
    ['start of an unknown drop', 'POST', '/v1/host/drops/nope/start', { host: true }, 404, 'not-found'],
    ['feature without productId', 'POST', `/v1/host/drops/${dropId}/feature`, { host: true, body: {} }, 422, 'validation-failed'],
    ['sales of an unknown drop', 'GET', '/v1/host/drops/nope/sales', { host: true }, 404, 'not-found'],
    [
      'a NUL character in a title',
      'PATCH',
      `/v1/host/drops/${dropId}`,
      { host: true, body: { title: 'a\u0000b' } },
      422,
      'validation-failed',
    ],
    [
      'a NUL character in a key',
      'POST',
      '/v1/host/drops',
      { host: true, body: { title: 'x', startsAt: 0, products: [], 'x\u0000': 1 } },
      422,
      'validation-failed',
    ],
    [
      'JSON nested 30 000 levels deep',
      'POST',
      `/v1/drops/${dropId}/reservations`,
      { token: shopper, raw: '['.repeat(30_000) + ']'.repeat(30_000) },
      422,
      'validation-failed',
    ],
    ['reaction of an unknown kind', 'POST', `/v1/drops/${dropId}/reactions`, { body: { kind: 42 } }, 422, 'validation-failed'],
    [
      'a javascript: checkout URL',
      'PATCH',
      `/v1/host/drops/${dropId}`,
      { host: true, body: { checkoutUrl: "javascript:alert('x')" } },
      422,
      'validation-failed',
    ],
    [
      'a data: stream URL',
      'PATCH',
      `/v1/host/drops/${dropId}`,
      { host: true, body: { stream: { hls: 'data:application/vnd.apple.mpegurl,#EXTM3U' } } },
      422,
      'validation-failed',
    ],
    [
      'a start time beyond what Date can hold',
      'POST',
      '/v1/host/drops',
      { host: true, body: { title: 'x', startsAt: 8.64e15 + 1, products: [] } },
      422,
      'validation-failed',
    ],
    [
      'an end time beyond what Date can hold',
      'PATCH',
      `/v1/host/drops/${dropId}`,
      { host: true, body: { endsAt: Number.MAX_SAFE_INTEGER } },
      422,
      'validation-failed',
    ],
    [
      'a lone surrogate in an image text',
      'POST',
      '/v1/host/drops',
      {
        host: true,
        raw: '{"title":"x","startsAt":0,"products":[{"id":"p","title":"p","images":[{"url":"a.png","alt":"\\udc00"}],"prices":[{"currency":"USD","amount":1}],"variants":[{"id":"v","label":"V","stock":1}]}]}',
      },
      422,
      'validation-failed',
    ],
    [
      'a lone surrogate in a title',
      'PATCH',
      `/v1/host/drops/${dropId}`,
      { host: true, raw: '{"title":"a\\ud800b"}' },
      422,
      'validation-failed',
    ],
    [
      'a lone surrogate 30 000 levels deep',
      'POST',
      `/v1/drops/${dropId}/reactions`,
      { raw: '['.repeat(30_000) + '"\\ud800"' + ']'.repeat(30_000) },
      422,
      'validation-failed',
    ],
    [
      'a lone surrogate in a key',
      'POST',
      `/v1/drops/${dropId}/reactions`,
      { raw: '{"kind":"heart","\\udbff":1}' },
      422,
      'validation-failed',
    ],
    [
      'a javascript: image URL',
      'POST',
      '/v1/host/drops',
      {
        host: true,
        body: {
          title: 'x',
          startsAt: 0,
          products: [
            {
              id: 'p',
              title: 'p',
              images: [{ url: 'JavaScript:alert(1)' }],
              prices: [{ currency: 'USD', amount: 1 }],
              variants: [{ id: 'v', label: 'V', stock: 1 }],
            },
          ],
        },
      },
      422,
      'validation-failed',
    ],
  ];

  it('answers each malformed or impossible request with the right 4xx problem', async () => {
    for (const [what, method, path, options, status, code] of cases()) {
      const res = await api.call(method, path, { ...options, token: options.host ? api.hostToken : options.token });
      assertProblem(res, status, code, what);
    }
  });

  it('names the string that is not well-formed Unicode', async () => {
    const res = await api.call('PATCH', `/v1/host/drops/${dropId}`, {
      token: api.hostToken,
      raw: '{"stream":{"hls":"a.m3u8"},"brand":"\\udc00x"}',
    });
    assert.deepEqual(
      res.body.errors?.map((e: { field: string }) => e.field),
      ['body.brand'],
    );
  });

  it('names the offending field of a validation failure', async () => {
    const res = await api.call('POST', `/v1/drops/${dropId}/reservations`, {
      token: shopper,
      body: { productId: 'tee', variantId: 's', quantity: 'two' },
    });
    assert.deepEqual(
      res.body.errors.map((e: { field: string }) => e.field),
      ['body.quantity'],
    );
  });

  it('refuses a body over 64 KB with 413, whether it says its length or not', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(70_000), startsAt: 0, products: [] });
    assertProblem(
      await api.call('POST', '/v1/host/drops', { token: api.hostToken, raw: big }),
      413,
      'payload-too-large',
      'with Content-Length',
    );
    const chunked = await new Promise<Answer>((resolve, reject) => {
      const url = new URL('/v1/host/drops', server.url);
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${api.hostToken}`, 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: JSON.parse(text) }),
          );
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(big.slice(i * 4000, (i + 1) * 4000));
      req.end();
    });
    assertProblem(chunked, 413, 'payload-too-large', 'chunked');
  });

  it('keeps serving after all of that', async () => {
    assert.equal((await api.call('GET', '/v1/time')).status, 200);
    assert.equal((await api.call('GET', `/v1/drops/${dropId}`)).status, 200);
  });
});
