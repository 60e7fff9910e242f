import { expect } from '@open-wc/testing';
import { ApiClient, ApiError, NetworkError } from '../../src/core/api-client.js';
import { newIdempotencyKey } from '../../src/core/shopper-actions.js';
import { createShopper, reserve } from '../../src/core/shopper-actions.js';
import { ProtocolError } from '../../src/protocol/parse.js';
import { clientRoutes } from '../../src/protocol/routes.js';
import { testBackend } from '../helpers/backend.js';
import { createDrop } from '../helpers/host-api.js';
import { withFetch } from '../helpers/with-fetch.js';

describe('ApiClient', () => {
  it('validates answers and turns an error status into an ApiError with the problem', async () => {
    const { url } = await testBackend();
    const api = new ApiClient(url);
    const t = await createDrop();
    expect((await api.getDrop(t.id)).id).to.equal(t.id);
    const error = await api.getDrop('no-such-drop').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).code).to.equal('not-found');
    expect((error as ApiError).status).to.equal(404);
  });

  it('turns a reservation refusal into its problem code', async () => {
    const { url } = await testBackend();
    const t = await createDrop({ live: false });
    const { shopperToken } = await createShopper(url);
    const error = await reserve(url, t.id, { productId: 'tee', variantId: 'm', quantity: 1 }, crypto.randomUUID(), shopperToken).catch(
      (e: unknown) => e,
    );
    expect((error as ApiError).code).to.equal('drop-not-started');
  });

  it('makes idempotency keys of 128 random bits that the server accepts', async () => {
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey()));
    expect(keys.size).to.equal(200);
    for (const key of keys) expect(key).to.match(/^[0-9a-f]{32}$/);
    const { url } = await testBackend();
    const t = await createDrop();
    const { shopperToken } = await createShopper(url);
    const key = [...keys][0];
    const first = await reserve(url, t.id, { productId: 'tee', variantId: 'm', quantity: 1 }, key, shopperToken);
    const again = await reserve(url, t.id, { productId: 'tee', variantId: 'm', quantity: 1 }, key, shopperToken);
    expect(again.id).to.equal(first.id);
  });

  it('rejects an answer that is not JSON with a ProtocolError', async () => {
    const api = new ApiClient('https://example.invalid');
    const error = await withFetch(
      () => async () => new Response('<html>gateway</html>', { status: 200 }),
      () => api.getTime().catch((e: unknown) => e),
    );
    expect(error).to.be.instanceOf(ProtocolError);
  });

  it('retries a safe request on network failure, then gives up with a NetworkError', async () => {
    const api = new ApiClient('http://127.0.0.1:9');
    api.retries = 2;
    let calls = 0;
    const counting =
      (realFetch: typeof fetch): typeof fetch =>
      (input, init) => {
        calls++;
        return realFetch(input, init);
      };
    const error = await withFetch(counting, () => api.getTime().catch((e: unknown) => e));
    expect(error).to.be.instanceOf(NetworkError);
    expect(calls).to.equal(3);
    calls = 0;
    // A POST without an idempotency key is never repeated: it could act twice.
    await withFetch(counting, () =>
      api.request(clientRoutes.reactions('x'), { method: 'POST', body: { kind: 'heart' }, parse: () => undefined }).catch(() => {}),
    );
    expect(calls).to.equal(1);
  });
});

describe('ApiClient against a server that never answers', () => {
  it('gives up after its timeout instead of hanging', async () => {
    const api = new ApiClient('https://example.invalid');
    api.retries = 0;
    api.timeoutMs = 300;
    // Fault injection: a connection that stays silent until aborted.
    const silent = (): typeof fetch => (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const error = await withFetch(silent, () => api.getTime().catch((e: unknown) => e));
    expect(error).to.be.instanceOf(NetworkError);
  });
});
